/**
 * The customers' and the merchant backend's API (the api function): liveness, customers,
 * payment methods, plans and what a customer does with them, support cases.
 */
import type { Routes } from '../frame.ts';
import { customerRoutes } from '../routes/customers.ts';
import { paymentSetupRoutes } from '../routes/payment-methods.ts';
import { planActionRoutes } from '../routes/plan-actions.ts';
import { planRoutes } from '../routes/plans.ts';
import { serviceRoutes } from '../routes/service.ts';
import { supportRoutes } from '../routes/support.ts';

export const CUSTOMER_API: readonly Routes[] = [serviceRoutes, customerRoutes, paymentSetupRoutes, planRoutes, planActionRoutes, supportRoutes];
