/**
 * The v1 API's types, generated from its OpenAPI document by openapi-typescript.
 * Do not edit: run `npm run gen:api` after changing a route or schema (a test fails when this is stale).
 */

export type paths = {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness (no authentication) */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a customer (admin) */
        post: operations["createCustomer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A customer profile (phone and email masked unless the caller is an admin; the admin sees an erased customer’s tombstone) */
        get: operations["getCustomer"];
        put?: never;
        post?: never;
        /**
         * Erase a customer’s personal data (refused while money is owed or a payment is in progress)
         * @description Name, phone and email become pseudonyms and notifications stop; bound payment methods are released at their provider and removed; notices lose their recipient and text. Plans, installments and repayment records are kept as financial records, without the payment method display. The erasure is logged (who, when, what) without personal data; afterwards the customer’s own token finds nothing (404 CUSTOMER.ERASED) and the merchant sees the tombstone.
         */
        delete: operations["eraseCustomer"];
        options?: never;
        head?: never;
        /** Change notification preferences and locale (contact details and time zone: admin) */
        patch: operations["updateCustomer"];
        trace?: never;
    };
    "/v1/customers/{id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Everything held about a customer, as one document (profile, methods, plans with installments and records, notices) */
        get: operations["exportCustomer"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}/payment-methods": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Bound payment methods, by priority */
        get: operations["listPaymentMethods"];
        put?: never;
        /** Bind a payment method (provider token and masked display only) */
        post: operations["bindPaymentMethod"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}/payment-methods/{pmId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Unbind a payment method */
        delete: operations["unbindPaymentMethod"];
        options?: never;
        head?: never;
        /** Make a bound method the default (what a decline left waiting is tried again) */
        patch: operations["makeDefaultPaymentMethod"];
        trace?: never;
    };
    "/v1/customers/{id}/notices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Notices sent to a customer, newest first; cursor paging */
        get: operations["listNotices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}/payment-methods/setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start binding a method through the provider's own authorisation: answers its next step */
        post: operations["startPaymentSetup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}/payment-methods/setup/{setupId}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Complete a binding: asks the provider how the setup ended (never the client); repeats answer the same method */
        post: operations["completePaymentSetup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}/payment-methods/setup/{setupId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A binding's state: pending, active (with its method) or failed (with the provider's reason) */
        get: operations["getPaymentSetup"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My orders; admins pass customerId for a customer's, or status to search every customer's */
        get: operations["listPlans"];
        put?: never;
        /** Create an installment plan at checkout (admin) */
        post: operations["createPlan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{planId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Order detail: paid and unpaid periods, amounts, next due date, next attempt */
        get: operations["getPlan"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{planId}/repayments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Repayment records, oldest first */
        get: operations["listRepayments"];
        put?: never;
        /** Repay now: the next installment, everything overdue, the whole plan, or an amount */
        post: operations["repayPlan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{planId}/payoff-quote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What paying off the whole plan costs today, itemised */
        get: operations["quotePayoff"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{planId}/deferrals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Defer one unpaid, not-yet-overdue installment (refusals say why) */
        post: operations["deferInstallment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{planId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The order was returned: cancel unpaid installments and list paid amounts for refund (admin) */
        post: operations["cancelPlan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/support/cases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My cases, newest first; an admin's inbox: every customer's (open first), by `status`, or one customer's; cursor paging */
        get: operations["listSupportCases"];
        put?: never;
        /** Open a support case: about a failed debit, a wrong amount, a refund, an extension request, or anything else */
        post: operations["openSupportCase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/support/cases/{caseId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A case with its messages, oldest first */
        get: operations["getSupportCase"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/support/cases/{caseId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Write on a case: support's message answers it and reaches the customer as a notice (SMS/email by their preferences); the customer's opens it again */
        post: operations["postSupportMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/support/cases/{caseId}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve an extension request (admin): the period is deferred by the days asked, under the plan's frozen policy with the operator's wider limits (docs/rules.md); the customer gets the deferral notice */
        post: operations["approveExtensionRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/support/cases/{caseId}/decline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Decline an extension request (admin) with a reason, which becomes support's message to the customer */
        post: operations["declineExtensionRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/support/cases/{caseId}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Close a case that is open or answered (its customer or support) */
        post: operations["closeSupportCase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ops/reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A day's reconciliation: provider captures against repayment records, both ways (admin) */
        get: operations["getReconciliation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ops/agenda": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A local day's agenda by hour: due, reminded, attempted, paid, failed, pending (admin) */
        get: operations["getOpsAgenda"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ops/metrics/daily": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Per local day: collected, failure rate, overdue, defaulted; decline reasons and roll rates over the range (admin) */
        get: operations["getOpsDailyMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ops/dead-letters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Dead-letter queues and their depth (admin) */
        get: operations["listDeadLetterQueues"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ops/dead-letters/{queue}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A look at a dead-letter queue's messages; they stay where they are (admin)
         * @description SQS hands out messages, not positions: each look is a sample of up to `limit` messages (at most 10), not a page.
         */
        get: operations["peekDeadLetters"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ops/dead-letters/{queue}/redrive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move the dead letters back to the queue they came from (admin) */
        post: operations["redriveDeadLetters"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ops/failed-attempts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Failed repayment attempts, newest first; cursor paging (admin) */
        get: operations["listFailedAttempts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ops/notices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Notices that failed or were suppressed, with the reason, newest first; cursor paging (admin) */
        get: operations["listOpsNotices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/stripe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Signed event from Stripe
         * @description Register this URL in the Stripe dashboard with the events payment_intent.succeeded, payment_intent.payment_failed, payment_intent.canceled and setup_intent.succeeded. Authenticated by Stripe-Signature, not by a token. Each event id is processed once; a repeat is answered 200 with duplicate: true.
         */
        post: operations["receiveStripeWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/alipay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Signed notification from Alipay
         * @description Alipay's asynchronous notifications (trade_status_sync, dut_user_sign, dut_user_unsign), form-encoded and verified with Alipay's public key. Answers `success` once the result is recorded from repayflow's own query, `fail` while it is not (Alipay delivers again).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/x-www-form-urlencoded": components["schemas"]["AlipayNotification"];
                };
            };
            responses: {
                /** @description `success`: processed (also for a repeat and for notification types repayflow does not act on); `fail`: not settled yet, deliver again */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
                /** @description Signed, but not an Alipay notification */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or wrong signature (not Alipay's key, or another application) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The notification is being processed */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Alipay is not configured on this deployment */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/wechat-pay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Signed notification from WeChat Pay
         * @description Configure this URL as WECHATPAY_NOTIFY_URL (payment and contract notifications). Authenticated by WeChat Pay's platform signature, not by a token; the resource is decrypted with the APIv3 key. Each notification id is processed once; a repeat is answered 200 with duplicate: true.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["WechatPayNotification"];
                };
            };
            responses: {
                /** @description Received (also for a repeat, and for event types repayflow does not act on) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookAck"];
                    };
                };
                /** @description Signed, but not a WeChat Pay notification */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing, wrong or stale signature, or a resource that does not decrypt */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The notification is still being processed */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description WeChat Pay is not configured on this deployment */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Signed asynchronous payment result from a wallet provider
         * @description Authenticated by X-Repayflow-Signature, not by a token. Each event id is processed once: a repeat is answered 200 with duplicate: true and has no effect.
         */
        post: operations["receiveWalletWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: {
        Health: {
            /** @enum {string} */
            status: "ok";
        };
        Customer: {
            id: string;
            name: string;
            phone: string;
            email?: string;
            /** @enum {string} */
            locale: "zh-CN" | "en";
            timeZone: string;
            notifications: {
                sms: boolean;
                email: boolean;
            };
            reminderDaysBefore?: number[];
            /** @description The country whose currency the customer's plans are in */
            market?: string;
            /**
             * Format: date-time
             * @example 2026-02-28T01:00:00.000Z
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description Set on the tombstone of an erased customer (only the merchant sees it): name and phone then read `erased`
             * @example 2026-02-28T01:00:00.000Z
             */
            erasedAt?: string;
        };
        /** @description RFC 9457 problem details; some problems add members (failureCode, smallestPrincipal …) */
        Problem: {
            /** @description A URI naming the problem (https://repayflow.dev/problems/<code>) */
            type: string;
            title: string;
            status: number;
            /** @description What happened, for people */
            detail?: string;
            /**
             * @description Stable machine-readable code, e.g. INSTALLMENT.ALREADY_PAID
             * @example REQUEST.INVALID
             */
            code?: string;
            /** @description Each field at fault */
            errors?: {
                field: string;
                message: string;
            }[];
        } & {
            [key: string]: unknown;
        };
        CreateCustomer: {
            id?: string;
            name: string;
            /** @example +8613800138000 */
            phone: string;
            /** Format: email */
            email?: string;
            /**
             * @default zh-CN
             * @enum {string}
             */
            locale: "zh-CN" | "en";
            /**
             * @default Asia/Shanghai
             * @example Asia/Shanghai
             */
            timeZone: string;
            /**
             * @default {
             *       "sms": true,
             *       "email": false
             *     }
             */
            notifications: {
                sms: boolean;
                email: boolean;
            };
            /**
             * @description Days before each due date on which the customer is reminded (plans created from now on)
             * @example [
             *       3,
             *       1
             *     ]
             */
            reminderDaysBefore?: number[];
            /**
             * @description The country whose currency the customer's plans are in; the phone number's country when absent
             * @example CN
             */
            market?: string;
        };
        CustomerExport: {
            /**
             * Format: date-time
             * @example 2026-02-28T01:00:00.000Z
             */
            exportedAt: string;
            customer: components["schemas"]["Customer"] & unknown;
            /** @description Bound methods: the masked display the provider reported, never an account number */
            paymentMethods: components["schemas"]["PaymentMethod"][];
            /** @description Every plan with its installments and repayment records */
            plans: {
                plan: components["schemas"]["Plan"];
                repayments: components["schemas"]["Repayment"][];
            }[];
            /** @description Every notice sent or scheduled, newest first */
            notices: components["schemas"]["Notice"][];
            /** @description Every support case with its messages, newest first */
            supportCases: components["schemas"]["SupportCase"][];
        };
        PaymentMethod: {
            id: string;
            /** @enum {string} */
            type: "bank_card" | "alipay" | "wechat_pay";
            display: string;
            isDefault: boolean;
            /**
             * Format: date-time
             * @example 2026-02-28T01:00:00.000Z
             */
            createdAt: string;
        };
        Plan: {
            planId: string;
            customerId: string;
            orderId: string;
            productName: string;
            /** @enum {string} */
            status: "active" | "paid_off" | "overdue" | "defaulted" | "cancelled";
            /** @enum {string} */
            currency: "CNY" | "USD" | "EUR" | "GBP" | "HKD" | "SGD" | "JPY" | "KRW";
            principal: components["schemas"]["Money"];
            totalFee: components["schemas"]["Money"] & unknown;
            fee: components["schemas"]["Fee"];
            /**
             * @description Annualised cost including all fees, by aprMethod
             * @example 0.1597
             */
            apr: string;
            /**
             * @description us_reg_z: Reg Z Appendix J (IRR × 12); eu_aprc: the EU APRC, effective annual over actual days
             * @enum {string}
             */
            aprMethod: "us_reg_z" | "eu_aprc";
            periods: number;
            paidPeriods: number;
            unpaidPeriods: number;
            perPeriodAmount: components["schemas"]["Money"];
            /**
             * Format: date
             * @example 2026-02-28
             */
            nextDueDate: string | null;
            nextAmountDue?: components["schemas"]["Money"] & unknown;
            outstanding: components["schemas"]["Money"];
            amountPaid: components["schemas"]["Money"] & unknown;
            /**
             * Format: date
             * @example 2026-02-28
             */
            purchaseDate: string;
            /** @description The customer's IANA time zone, in which due dates are calendar dates */
            timeZone: string;
            /**
             * Format: date-time
             * @example 2026-02-28T01:00:00.000Z
             */
            createdAt: string;
            installments: components["schemas"]["Installment"][];
        };
        Money: {
            /**
             * @description Integer minor units (fen, cents; yen have none)
             * @example 544000
             */
            amount: number;
            /**
             * @example CNY
             * @enum {string}
             */
            currency: "CNY" | "USD" | "EUR" | "GBP" | "HKD" | "SGD" | "JPY" | "KRW";
        };
        Fee: {
            /** @enum {string} */
            model: "flat";
            /**
             * @description Total fee = principal × rate
             * @example 0.088
             */
            rate: string;
        } | {
            /** @enum {string} */
            model: "annuity";
            /**
             * @description 等额本息: equal payments
             * @example 0.049
             */
            annualRate: string;
        } | {
            /** @enum {string} */
            model: "equal_principal";
            /**
             * @description 等额本金: equal principal
             * @example 0.049
             */
            annualRate: string;
        };
        Installment: {
            period: number;
            /**
             * Format: date
             * @example 2026-02-28
             */
            dueDate: string;
            principal: components["schemas"]["Money"];
            fee: components["schemas"]["Money"] & unknown;
            lateFee: components["schemas"]["Money"];
            amountDue: components["schemas"]["Money"] & unknown;
            amountPaid: components["schemas"]["Money"];
            /** @enum {string} */
            status: "scheduled" | "due" | "paid" | "failed" | "overdue" | "deferred" | "cancelled";
            /** @description Why the last debit failed (insufficient_funds, card_expired …) */
            lastFailureCode?: string;
            /**
             * Format: date-time
             * @description When the next automatic debit happens (failed or overdue installments)
             * @example 2026-02-28T01:00:00.000Z
             */
            nextAttemptAt?: string;
            /**
             * @description No automatic retry until the customer binds or chooses another method
             * @enum {boolean}
             */
            needsCustomerAction?: true;
            /**
             * Format: date-time
             * @example 2026-02-28T01:00:00.000Z
             */
            paidAt?: string;
            /**
             * Format: date
             * @description The day the plan defaulted and this installment fell due with the rest (acceleration)
             * @example 2026-02-28
             */
            acceleratedOn?: string;
            /**
             * Format: date
             * @description Its own due date before acceleration, when that was later
             * @example 2026-02-28
             */
            acceleratedFrom?: string;
        };
        Repayment: {
            id: string;
            /** @enum {string} */
            kind: "auto" | "manual";
            periods: number[];
            amount: components["schemas"]["Money"];
            paymentMethod: {
                id: string;
                display: string;
            };
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed";
            failureCode?: string;
            /**
             * Format: date-time
             * @example 2026-02-28T01:00:00.000Z
             */
            createdAt: string;
        };
        Notice: {
            id: string;
            customerId: string;
            planId: string;
            /** @enum {string} */
            kind: "reminder" | "repayment_succeeded" | "repayment_failed" | "overdue" | "plan_paid_off" | "deferral_confirmed" | "plan_defaulted" | "plan_cancelled" | "support_reply";
            /** @enum {string} */
            channel: "sms" | "email";
            /** @description Masked recipient */
            to: string;
            body: string;
            /**
             * @description scheduled: an SMS held back by quiet hours until sendAt
             * @enum {string}
             */
            status: "scheduled" | "pending" | "sent" | "failed" | "suppressed";
            reason?: string;
            /**
             * Format: date-time
             * @example 2026-02-28T01:00:00.000Z
             */
            createdAt: string;
            /**
             * Format: date-time
             * @example 2026-02-28T01:00:00.000Z
             */
            sendAt?: string;
            /**
             * Format: date-time
             * @example 2026-02-28T01:00:00.000Z
             */
            sentAt?: string;
        };
        SupportCase: {
            caseId: string;
            customerId: string;
            /** @enum {string} */
            category: "failed_debit" | "wrong_amount" | "refund" | "extension_request" | "other";
            /**
             * @description open → answered (support replied) → closed, or for an extension request approved / declined
             * @enum {string}
             */
            status: "open" | "answered" | "closed" | "approved" | "declined";
            planId?: string;
            repaymentId?: string;
            period?: number;
            days?: number;
            /** @description The first line of the first message */
            subject: string;
            messageCount: number;
            /**
             * Format: date-time
             * @example 2026-02-28T01:00:00.000Z
             */
            createdAt: string;
            /**
             * Format: date-time
             * @example 2026-02-28T01:00:00.000Z
             */
            updatedAt: string;
            /**
             * Format: date-time
             * @example 2026-02-28T01:00:00.000Z
             */
            decidedAt?: string;
            /** @description Admin views only */
            decidedBy?: string;
            /** @description Declined: why */
            decisionReason?: string;
            /**
             * Format: date
             * @description Approved: the due date the period was moved to
             */
            newDueDate?: string;
            messages: components["schemas"]["CaseMessage"][];
        };
        CaseMessage: {
            messageId: string;
            /** @description Its place in the thread, from 1 */
            seq: number;
            /** @enum {string} */
            author: "customer" | "operator";
            /** @description Who wrote it (admin views only: an operator's id is not shown to customers) */
            authorId?: string;
            body: string;
            /**
             * Format: date-time
             * @example 2026-02-28T01:00:00.000Z
             */
            createdAt: string;
        };
        Erasure: {
            customerId: string;
            /**
             * Format: date-time
             * @example 2026-02-28T01:00:00.000Z
             */
            erasedAt: string;
            erasedBy: {
                sub: string;
                /** @enum {string} */
                role: "admin" | "customer";
            };
            /** @description Methods released at their provider and removed */
            paymentMethodsReleased: number;
            /** @description Notices whose recipient and text were erased */
            noticesErased: number;
            /** @description Support cases whose subject and messages were erased (state and links kept) */
            supportCasesErased: number;
            /** @description Repayment records kept as financial records, without the payment method display */
            repaymentRecordsKept: number;
            plansKept: number;
        };
        UpdateCustomer: {
            /** @enum {string} */
            locale?: "zh-CN" | "en";
            /** @example Asia/Shanghai */
            timeZone?: string;
            /** Format: email */
            email?: string;
            /** @example +8613800138000 */
            phone?: string;
            notifications?: {
                sms?: boolean;
                email?: boolean;
            };
            /**
             * @description Days before each due date on which the customer is reminded (plans created from now on)
             * @example [
             *       3,
             *       1
             *     ]
             */
            reminderDaysBefore?: number[];
            /**
             * @description The country whose currency the customer's plans are in; the phone number's country when absent
             * @example CN
             */
            market?: string;
        };
        BindPaymentMethod: {
            /** @enum {string} */
            type: "bank_card" | "alipay" | "wechat_pay";
            /**
             * @description A reference the provider issued to the client (Stripe.js PaymentMethod id; a simulated token locally); the provider verifies it
             * @example pm_card_visa
             */
            token: string;
            /** @description Ignored where the provider reports the method's own masked display (brand and last 4) */
            display?: string;
            makeDefault?: boolean;
        };
        PaymentMethodList: {
            items: components["schemas"]["PaymentMethod"][];
        };
        UpdatePaymentMethod: {
            /**
             * @description Debit this method first from now on
             * @enum {boolean}
             */
            makeDefault: true;
        };
        NoticePage: {
            items: components["schemas"]["Notice"][];
            /** @description Pass as `cursor` for the next page; null on the last page */
            cursor: string | null;
        };
        PaymentSetupStarted: {
            setupId: string;
            /** @enum {string} */
            provider: "simulated" | "stripe" | "alipay" | "wechat_pay";
            /** @enum {string} */
            type: "bank_card" | "alipay" | "wechat_pay";
            /** @enum {string} */
            status: "pending" | "active" | "failed";
            next: components["schemas"]["NextAction"];
        };
        /** @description What the customer does next, in the provider's own terms */
        NextAction: {
            /** @enum {string} */
            type: "stripe_sdk";
            clientSecret: string;
            publishableKey?: string;
        } | {
            /** @enum {string} */
            type: "redirect";
            url: string;
        } | {
            /** @enum {string} */
            type: "qr_code";
            payload: string;
        };
        StartPaymentSetup: {
            /** @enum {string} */
            type: "bank_card" | "alipay" | "wechat_pay";
            /** @description Debit the new method first once it is active */
            makeDefault?: boolean;
            /**
             * @description Where a redirect-based provider sends the customer back (a path of the portal's own origin)
             * @example /methods
             */
            returnUrl?: string;
        };
        PaymentSetupActive: {
            /** @enum {string} */
            status: "active";
            setupId: string;
            paymentMethod: components["schemas"]["PaymentMethod"];
        };
        PaymentSetupPending: {
            /** @enum {string} */
            status: "pending";
            setupId: string;
        };
        PaymentSetup: {
            setupId: string;
            /** @enum {string} */
            provider: "simulated" | "stripe" | "alipay" | "wechat_pay";
            /** @enum {string} */
            type: "bank_card" | "alipay" | "wechat_pay";
            /** @enum {string} */
            status: "pending" | "active" | "failed";
            paymentMethod?: components["schemas"]["PaymentMethod"] & unknown;
            /** @description The provider's reason (once failed) */
            failureCode?: string;
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description When an unfinished setup is forgotten
             */
            expiresAt: string;
        };
        CreatePlan: {
            customerId: string;
            orderId: string;
            productName: string;
            principal: components["schemas"]["Money"];
            periods: number;
            fee: components["schemas"]["Fee"];
            /** @example 2026-01-31 */
            purchaseDate: string;
            billingDay?: number;
            paymentMethodId?: string;
            /** @description This plan's disclosure and payoff choices, frozen into it (the deployment's policy otherwise) */
            policy?: {
                /**
                 * @description us_reg_z: Reg Z Appendix J (default); eu_aprc: the EU APRC, effective annual over actual days
                 * @enum {string}
                 */
                aprMethod?: "us_reg_z" | "eu_aprc";
                /**
                 * @description What an early payoff charges of a flat plan's fees not yet past
                 * @enum {string}
                 */
                payoffFees?: "waive_future" | "charge_current_period" | "charge_all";
                /**
                 * @description Which periods take the rounding remainder
                 * @enum {string}
                 */
                remainderTo?: "first_periods" | "last_period";
            };
        };
        PlanPage: {
            items: components["schemas"]["PlanSummary"][];
            /** @description Pass as `cursor` for the next page; null on the last page */
            cursor: string | null;
        };
        PlanSummary: {
            planId: string;
            customerId: string;
            orderId: string;
            productName: string;
            /** @enum {string} */
            status: "active" | "paid_off" | "overdue" | "defaulted" | "cancelled";
            /** @enum {string} */
            currency: "CNY" | "USD" | "EUR" | "GBP" | "HKD" | "SGD" | "JPY" | "KRW";
            principal: components["schemas"]["Money"];
            totalFee: components["schemas"]["Money"] & unknown;
            fee: components["schemas"]["Fee"];
            /**
             * @description Annualised cost including all fees, by aprMethod
             * @example 0.1597
             */
            apr: string;
            /**
             * @description us_reg_z: Reg Z Appendix J (IRR × 12); eu_aprc: the EU APRC, effective annual over actual days
             * @enum {string}
             */
            aprMethod: "us_reg_z" | "eu_aprc";
            periods: number;
            paidPeriods: number;
            unpaidPeriods: number;
            perPeriodAmount: components["schemas"]["Money"];
            /**
             * Format: date
             * @example 2026-02-28
             */
            nextDueDate: string | null;
            nextAmountDue?: components["schemas"]["Money"] & unknown;
            outstanding: components["schemas"]["Money"];
            amountPaid: components["schemas"]["Money"] & unknown;
            /**
             * Format: date
             * @example 2026-02-28
             */
            purchaseDate: string;
            /** @description The customer's IANA time zone, in which due dates are calendar dates */
            timeZone: string;
            /**
             * Format: date-time
             * @example 2026-02-28T01:00:00.000Z
             */
            createdAt: string;
        };
        RepaymentList: {
            items: components["schemas"]["Repayment"][];
        };
        RepaymentSucceeded: {
            /** @enum {string} */
            status: "succeeded";
            repayment: components["schemas"]["Repayment"];
            plan: components["schemas"]["Plan"];
        };
        RepaymentRequiresAction: {
            /** @enum {string} */
            status: "requires_action";
            repayment: components["schemas"]["Repayment"];
            next: components["schemas"]["NextAction"];
        };
        RepaymentRequest: {
            /**
             * @description next: the next unpaid installment; overdue: everything overdue; payoff: all that remains; amount: a partial payment
             * @enum {string}
             */
            scope: "next" | "overdue" | "payoff" | "amount";
            amount?: components["schemas"]["Money"];
            paymentMethodId?: string;
        };
        PayoffQuote: {
            /**
             * Format: date
             * @description Today in the plan's time zone
             * @example 2026-02-28
             */
            asOf: string;
            principal: components["schemas"]["Money"];
            fee: components["schemas"]["Money"];
            lateFee: components["schemas"]["Money"];
            waived: components["schemas"]["Money"];
            total: components["schemas"]["Money"];
            items: components["schemas"]["PayoffItem"][];
            /**
             * @description The plan's rule for fees not yet past: waive_future, charge_current_period, charge_all (flat); interest_to_date (annuity, equal_principal)
             * @enum {string}
             */
            charging: "waive_future" | "charge_current_period" | "charge_all" | "interest_to_date";
            /** @description The period today belongs to (a due date belongs to the period it closes) */
            currentPeriod: number | null;
        };
        PayoffItem: {
            period: number;
            principal: components["schemas"]["Money"];
            fee: components["schemas"]["Money"];
            lateFee: components["schemas"]["Money"];
            waived: components["schemas"]["Money"];
            total: components["schemas"]["Money"];
        };
        DeferralRequest: {
            period: number;
            /** @description Days to move the due date by (the plan policy caps it, 30 by default) */
            days: number;
        };
        Cancellation: {
            plan: components["schemas"]["Plan"];
            refundable: {
                repaymentId: string;
                amount: components["schemas"]["Money"];
            }[];
            refundTotal: components["schemas"]["Money"];
        };
        OpenCaseRequest: {
            /** @enum {string} */
            category: "failed_debit" | "wrong_amount" | "refund" | "extension_request" | "other";
            /** @description The plan the case is about (required for an extension request) */
            planId?: string;
            /** @description A repayment attempt of that plan (a failed debit's record); names its period when `period` is absent */
            repaymentId?: string;
            /** @description The period the case is about (required for an extension request) */
            period?: number;
            /** @description Extension requests: days to move the due date by */
            days?: number;
            /** @description Admin only: whose case it is (the plan's customer when absent) */
            customerId?: string;
            /**
             * @description What the writer says (1-2000 characters once control characters are removed)
             * @example 扣款失败了，能否延期几天？
             */
            message: string;
        };
        SupportCasePage: {
            items: components["schemas"]["SupportCaseSummary"][];
            /** @description Pass as `cursor` for the next page; null on the last page */
            cursor: string | null;
        };
        SupportCaseSummary: {
            caseId: string;
            customerId: string;
            /** @enum {string} */
            category: "failed_debit" | "wrong_amount" | "refund" | "extension_request" | "other";
            /**
             * @description open → answered (support replied) → closed, or for an extension request approved / declined
             * @enum {string}
             */
            status: "open" | "answered" | "closed" | "approved" | "declined";
            planId?: string;
            repaymentId?: string;
            period?: number;
            days?: number;
            /** @description The first line of the first message */
            subject: string;
            messageCount: number;
            /**
             * Format: date-time
             * @example 2026-02-28T01:00:00.000Z
             */
            createdAt: string;
            /**
             * Format: date-time
             * @example 2026-02-28T01:00:00.000Z
             */
            updatedAt: string;
            /**
             * Format: date-time
             * @example 2026-02-28T01:00:00.000Z
             */
            decidedAt?: string;
            /** @description Admin views only */
            decidedBy?: string;
            /** @description Declined: why */
            decisionReason?: string;
            /**
             * Format: date
             * @description Approved: the due date the period was moved to
             */
            newDueDate?: string;
        };
        CaseMessageRequest: {
            /**
             * @description What the writer says (1-2000 characters once control characters are removed)
             * @example 扣款失败了，能否延期几天？
             */
            message: string;
        };
        DeclineRequest: {
            /** @description Why the request is declined; told to the customer as support’s message */
            reason: string;
        };
        Reconciliation: {
            /** Format: date */
            date: string;
            timeZone: string;
            /** Format: date-time */
            ranAt: string;
            providers: string[];
            /** @description Captures the providers list within the day */
            captures: number;
            /** @description Succeeded records within the day */
            records: number;
            differenceCount: number;
            /** @description At most the first 500; differenceCount tells them all */
            differences: components["schemas"]["ReconciliationDifference"][];
            /** @description Providers whose listing of the day was not published yet (a daily bill comes the next morning): not compared yet, so the report is not final; the day is reconciled again for them later */
            pending?: {
                provider: string;
                reason: string;
                /**
                 * Format: date-time
                 * @description When its listing of the day is expected to be whole
                 */
                readyAt: string;
            }[];
        };
        ReconciliationDifference: {
            /**
             * @description `missing_record`: the provider captured, we hold no succeeded record; `missing_capture`: we recorded a success the provider does not list; `amount_mismatch` / `currency_mismatch`: both exist and differ
             * @enum {string}
             */
            kind: "missing_record" | "missing_capture" | "amount_mismatch" | "currency_mismatch";
            provider: string;
            /** @description The attempt id given to the provider */
            idempotencyKey: string;
            planId?: string;
            capture?: {
                amount: number;
                /** @description As the provider or the record states it */
                currency: string;
                gatewayReference: string;
                /** Format: date-time */
                capturedAt: string;
            };
            record?: {
                amount: number;
                /** @description As the provider or the record states it */
                currency: string;
                /** Format: date-time */
                recordedAt: string;
                gatewayReference?: string;
            };
            /**
             * @description `missing_record`: the record held under that key, if any
             * @enum {string}
             */
            recordStatus?: "pending" | "succeeded" | "failed";
        };
        OpsAgenda: {
            /** Format: date */
            date: string;
            /** @description The operations time zone (the policy's reconciliationTimeZone) */
            timeZone: string;
            totals: components["schemas"]["OpsDay"];
            /** @description The 24 local hours, 0 to 23 */
            hours: components["schemas"]["OpsHour"][];
        };
        OpsDay: {
            /** Format: date */
            date: string;
            /** @description Installments whose automatic debit came due (their first attempt was made) */
            due: number;
            /** @description Reminders sent ahead of a debit */
            reminded: number;
            /** @description Automatic debit attempts made */
            attempted: number;
            /** @description Automatic debits that succeeded */
            paid: number;
            /** @description Automatic debits that failed (declined, or nothing to charge with) */
            failed: number;
            /** @description Wallet debits still waiting for the wallet to confirm (counted in the hour they started) */
            pending: number;
            /** @description Customers' own repayments that succeeded */
            manual: number;
            /** @description Installments that turned overdue */
            overdue: number;
            /** @description Plans that turned overdue */
            plansOverdue: number;
            /** @description Plans that defaulted */
            defaulted: number;
            /** @description Money collected (automatic and manual), per currency in integer minor units */
            collected: {
                amount: number;
                /** @enum {string} */
                currency: "CNY" | "USD" | "EUR" | "GBP" | "HKD" | "SGD" | "JPY" | "KRW";
            }[];
        };
        OpsHour: {
            /** @description Local hour of the day */
            hour: number;
            /** @description Installments whose automatic debit came due (their first attempt was made) */
            due: number;
            /** @description Reminders sent ahead of a debit */
            reminded: number;
            /** @description Automatic debit attempts made */
            attempted: number;
            /** @description Automatic debits that succeeded */
            paid: number;
            /** @description Automatic debits that failed (declined, or nothing to charge with) */
            failed: number;
            /** @description Wallet debits still waiting for the wallet to confirm (counted in the hour they started) */
            pending: number;
            /** @description Customers' own repayments that succeeded */
            manual: number;
            /** @description Installments that turned overdue */
            overdue: number;
            /** @description Plans that turned overdue */
            plansOverdue: number;
            /** @description Plans that defaulted */
            defaulted: number;
        };
        OpsDailyMetrics: {
            /** Format: date */
            from: string;
            /** Format: date */
            to: string;
            timeZone: string;
            days: components["schemas"]["OpsDailyMetricsDay"][];
            /** @description Declines over the range by code, most frequent first */
            declineReasons: {
                code: string;
                count: number;
            }[];
            rollRates: {
                /** @description Installments that turned overdue ÷ installments that came due */
                currentToOverdue: number | null;
                /** @description Plans that defaulted ÷ plans that turned overdue */
                overdueToDefaulted: number | null;
            };
        };
        OpsDailyMetricsDay: {
            /** Format: date */
            date: string;
            /** @description Installments whose automatic debit came due (their first attempt was made) */
            due: number;
            /** @description Reminders sent ahead of a debit */
            reminded: number;
            /** @description Automatic debit attempts made */
            attempted: number;
            /** @description Automatic debits that succeeded */
            paid: number;
            /** @description Automatic debits that failed (declined, or nothing to charge with) */
            failed: number;
            /** @description Wallet debits still waiting for the wallet to confirm (counted in the hour they started) */
            pending: number;
            /** @description Customers' own repayments that succeeded */
            manual: number;
            /** @description Installments that turned overdue */
            overdue: number;
            /** @description Plans that turned overdue */
            plansOverdue: number;
            /** @description Plans that defaulted */
            defaulted: number;
            /** @description Money collected (automatic and manual), per currency in integer minor units */
            collected: {
                amount: number;
                /** @enum {string} */
                currency: "CNY" | "USD" | "EUR" | "GBP" | "HKD" | "SGD" | "JPY" | "KRW";
            }[];
            /** @description failed ÷ (paid + failed) of automatic debits; null when none settled */
            failureRate: number | null;
        };
        DeadLetterQueueList: {
            items: components["schemas"]["DeadLetterQueue"][];
        };
        DeadLetterQueue: {
            /** @enum {string} */
            queue: "repaymentAttempts" | "notices" | "emails" | "emailFeedback";
            /** @description Messages waiting in the dead-letter queue (approximate) */
            depth: number;
            /** @description Messages of the dead-letter queue being read right now */
            inFlight: number;
            /** @description A redrive in progress (AWS move task) */
            redrive?: {
                status: string;
                moved: number;
                toMove?: number;
            };
        };
        DeadLetterMessageList: {
            items: components["schemas"]["DeadLetterMessage"][];
        };
        DeadLetterMessage: {
            messageId: string;
            body: string;
            /** Format: date-time */
            sentAt?: string;
            receiveCount?: number;
        };
        DeadLetterRedrive: {
            /** @enum {string} */
            queue: "repaymentAttempts" | "notices" | "emails" | "emailFeedback";
            /**
             * @description `move_task`: SQS is moving them (see the queue list for progress); `moved`: moved already
             * @enum {string}
             */
            mode: "move_task" | "moved";
            /** @description `moved`: how many */
            moved?: number;
            /** @description `move_task`: SQS's handle of the task */
            taskHandle?: string;
        };
        FailedAttemptPage: {
            items: components["schemas"]["FailedAttempt"][];
            /** @description Pass as `cursor` for the next page; null on the last page */
            cursor: string | null;
        };
        FailedAttempt: {
            planId: string;
            /** @description The plan's customer */
            customerId?: string;
            repayment: components["schemas"]["Repayment"] & unknown;
            /**
             * Format: date-time
             * @description The next automatic retry of its installments, if one is scheduled
             */
            nextAttemptAt?: string;
        };
        OpsNoticePage: {
            items: components["schemas"]["Notice"][];
            /** @description Pass as `cursor` for the next page; null on the last page */
            cursor: string | null;
        };
        WebhookAck: {
            /** @enum {boolean} */
            received: true;
            eventId: string;
            /** @enum {string} */
            outcome: "applied" | "ignored";
            duplicate: boolean;
        };
        /** @description A Stripe event (https://docs.stripe.com/api/events/object), verified by its Stripe-Signature before it is read. */
        StripeEvent: {
            id: string;
            type: string;
            data: {
                object: {
                    [key: string]: unknown;
                };
            };
        } & {
            [key: string]: unknown;
        };
        AlipayNotification: {
            [key: string]: string;
        };
        /** @description A WeChat Pay notification; its resource is encrypted (AEAD_AES_256_GCM) and read only after the platform signature is verified. */
        WechatPayNotification: {
            id: string;
            event_type: string;
            resource: {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        /** @description Fields a provider adds later are ignored. */
        WalletEvent: {
            /** @description The provider's event id; the same on every redelivery */
            id: string;
            /** @enum {string} */
            type: "payment.succeeded" | "payment.failed";
            data: {
                /** @description The attempt id repayflow sent with the charge (`<planId>:<period>:<n>`) */
                idempotencyKey: string;
                /** @description Integer minor units */
                amount: number;
                /** @enum {string} */
                currency: "CNY" | "USD" | "EUR" | "GBP" | "HKD" | "SGD" | "JPY" | "KRW";
                failureCode?: string;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
};
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    createCustomer: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the request safe to retry: a retry with the same key and request answers the first response (idempotent-replayed: true); kept for a day */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateCustomer"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Customer"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Needs the admin role (AUTH.ADMIN_REQUIRED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A customer with this id exists (CUSTOMER.EXISTS), or a request with this Idempotency-Key is still in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 64 KiB (REQUEST.TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json (REQUEST.UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This Idempotency-Key was used with a different request (IDEMPOTENCY.KEY_REUSED) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The customer */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Customer"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    eraseCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Erased; the log of the erasure */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Erasure"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A plan still owes money (CUSTOMER.MONEY_OWED, with planId, planStatus and outstanding) or a payment is in progress (CUSTOMER.PAYMENT_IN_PROGRESS, with planId and attemptId) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateCustomer"];
            };
        };
        responses: {
            /** @description The updated customer */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Customer"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Contact details, market and time zone are the merchant’s to change (AUTH.ADMIN_REQUIRED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 64 KiB (REQUEST.TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json (REQUEST.UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The profile breaks a rule: a phone number that is not a mobile number of its country, a time zone that is not a canonical IANA name, control characters in the name, email notices without an address */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    exportCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The customer’s data (never cached: cache-control no-store) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerExport"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listPaymentMethods: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Methods */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentMethodList"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    bindPaymentMethod: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the request safe to retry: a retry with the same key and request answers the first response (idempotent-replayed: true); kept for a day */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BindPaymentMethod"];
            };
        };
        responses: {
            /** @description Bound */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentMethod"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused in the current state, or a request with this Idempotency-Key is still in progress (IDEMPOTENCY.IN_PROGRESS) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 64 KiB (REQUEST.TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json (REQUEST.UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The provider does not know the token, no provider serves the type here, or the Idempotency-Key was used with a different request */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    unbindPaymentMethod: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                pmId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unbound */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A payment on this method is in flight or awaiting confirmation (PAYMENT_METHOD.IN_USE) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    makeDefaultPaymentMethod: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                pmId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdatePaymentMethod"];
            };
        };
        responses: {
            /** @description The method, now the default */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentMethod"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 64 KiB (REQUEST.TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json (REQUEST.UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listNotices: {
        parameters: {
            query?: {
                limit?: number;
                /** @description The cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of notices */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NoticePage"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startPaymentSetup: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the request safe to retry: a retry with the same key and request answers the first response (idempotent-replayed: true); kept for a day */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartPaymentSetup"];
            };
        };
        responses: {
            /** @description Started: carry out `next` (Stripe.js confirmCardSetup, the provider's signing page, a QR code), then complete the setup */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentSetupStarted"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A request with this Idempotency-Key is in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 64 KiB (REQUEST.TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json (REQUEST.UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No provider serves this type here (PAYMENT_METHOD.TYPE_UNAVAILABLE), or the Idempotency-Key was used with a different request */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    completePaymentSetup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                setupId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Already bound by an earlier confirmation: the same method */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentSetupActive"];
                };
            };
            /** @description The provider authorised the method: it is bound now */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentSetupActive"];
                };
            };
            /** @description The provider has not finished yet: ask again */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentSetupPending"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such customer or setup (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The provider refused the binding (PAYMENT_SETUP.FAILED; `failureCode` is the provider's reason), or the method it bound was removed since (PAYMENT_SETUP.METHOD_REMOVED) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPaymentSetup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                setupId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The setup */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentSetup"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such customer or setup (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The provider refused the binding (PAYMENT_SETUP.FAILED; `failureCode` is the provider's reason), or the method it bound was removed since (PAYMENT_SETUP.METHOD_REMOVED) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listPlans: {
        parameters: {
            query?: {
                /** @description Admins: that customer's plans. Without it an admin names a status and searches every customer's plans */
                customerId?: string;
                /** @description Only plans in this status (admins without customerId: required) */
                status?: "active" | "paid_off" | "overdue" | "defaulted" | "cancelled";
                /** @description Matches order id or product name (case-insensitive); a filtered page may hold fewer items, its cursor goes on */
                q?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of plans */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanPage"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createPlan: {
        parameters: {
            query?: never;
            header: {
                /** @description Makes the request safe to retry: a retry with the same key and request answers the first response (idempotent-replayed: true); kept for a day */
                "idempotency-key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePlan"];
            };
        };
        responses: {
            /** @description Created (or, for a retry with the same Idempotency-Key, the plan it created) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Plan"];
                };
            };
            /** @description Invalid input, or no Idempotency-Key (IDEMPOTENCY.KEY_REQUIRED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Needs the admin role (AUTH.ADMIN_REQUIRED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such customer, or the payment method is not bound to them */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The order already has a plan (PLAN.ORDER_HAS_PLAN), or a request with this Idempotency-Key is still in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 64 KiB (REQUEST.TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json (REQUEST.UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An intake rule refused the plan (PLAN.APR_ABOVE_MAX, PLAN.PURCHASE_DATE_OUTSIDE_WINDOW, PLAN.ZERO_INSTALLMENT …, naming the field), or the Idempotency-Key was used with a different request */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPlan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                planId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The plan */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Plan"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listRepayments: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                planId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Records */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RepaymentList"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    repayPlan: {
        parameters: {
            query?: never;
            header: {
                /** @description Makes the request safe to retry: a retry with the same key and request answers the first response (idempotent-replayed: true); kept for a day */
                "idempotency-key": string;
            };
            path: {
                planId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RepaymentRequest"];
            };
        };
        responses: {
            /** @description The succeeded repayment and the plan after it */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RepaymentSucceeded"];
                };
            };
            /** @description The provider wants the customer to confirm (3-D Secure, a wallet password): carry out `next`; the result arrives like any other (the same request with the same Idempotency-Key answers it) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RepaymentRequiresAction"];
                };
            };
            /** @description Invalid input, or no Idempotency-Key (IDEMPOTENCY.KEY_REQUIRED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The payment was declined (REPAYMENT.DECLINED; the failed attempt is recorded) */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such plan (or not yours), or no such payment method bound */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused in the current state, with a reason code (a temporary one carries Retry-After), or a request with this Idempotency-Key is still in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 64 KiB (REQUEST.TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json (REQUEST.UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This Idempotency-Key was used for another payment (IDEMPOTENCY.KEY_REUSED) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    quotePayoff: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                planId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The quote */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PayoffQuote"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The plan has nothing left to pay (PLAN.NOTHING_OUTSTANDING) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deferInstallment: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the request safe to retry: a retry with the same key and request answers the first response (idempotent-replayed: true); kept for a day */
                "idempotency-key"?: string;
            };
            path: {
                planId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeferralRequest"];
            };
        };
        responses: {
            /** @description The plan with the new due date */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Plan"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused in the current state, with a reason code (a temporary one carries Retry-After), or a request with this Idempotency-Key is still in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 64 KiB (REQUEST.TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json (REQUEST.UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This Idempotency-Key was used with a different request (IDEMPOTENCY.KEY_REUSED) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancelPlan: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the request safe to retry: a retry with the same key and request answers the first response (idempotent-replayed: true); kept for a day */
                "idempotency-key"?: string;
            };
            path: {
                planId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cancelled plan and what to refund */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cancellation"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Needs the admin role (AUTH.ADMIN_REQUIRED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused in the current state, with a reason code (a temporary one carries Retry-After), or a request with this Idempotency-Key is still in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This Idempotency-Key was used with a different request (IDEMPOTENCY.KEY_REUSED) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSupportCases: {
        parameters: {
            query?: {
                status?: "open" | "answered" | "closed" | "approved" | "declined";
                /** @description Admin only: one customer's cases */
                customerId?: string;
                limit?: number;
                /** @description The cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of cases (without their messages) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupportCasePage"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    openSupportCase: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the request safe to retry: a retry with the same key and request answers the first response (idempotent-replayed: true); kept for a day */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OpenCaseRequest"];
            };
        };
        responses: {
            /** @description The case with its first message */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupportCase"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such plan (or not yours), repayment, period or customer */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused in the current state (CASE.CLOSED, CASE.ALREADY_DECIDED, CASE.DECISION_IN_PROGRESS, CASE.NOT_AN_EXTENSION_REQUEST, or the plan’s deferral refusal such as DEFERRAL.OVERLAPS_NEXT), or a request with this Idempotency-Key is still in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 64 KiB (REQUEST.TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json (REQUEST.UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The message or reason is empty or too long, an extension request lacks its plan, period or days, or an admin names no customer (CASE.*) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSupportCase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The case and its thread */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupportCase"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postSupportMessage: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the request safe to retry: a retry with the same key and request answers the first response (idempotent-replayed: true); kept for a day */
                "idempotency-key"?: string;
            };
            path: {
                caseId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CaseMessageRequest"];
            };
        };
        responses: {
            /** @description The case with the new message */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupportCase"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused in the current state (CASE.CLOSED, CASE.ALREADY_DECIDED, CASE.DECISION_IN_PROGRESS, CASE.NOT_AN_EXTENSION_REQUEST, or the plan’s deferral refusal such as DEFERRAL.OVERLAPS_NEXT), or a request with this Idempotency-Key is still in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 64 KiB (REQUEST.TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json (REQUEST.UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The message or reason is empty or too long, an extension request lacks its plan, period or days, or an admin names no customer (CASE.*) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    approveExtensionRequest: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the request safe to retry: a retry with the same key and request answers the first response (idempotent-replayed: true); kept for a day */
                "idempotency-key"?: string;
            };
            path: {
                caseId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The approved case with the new due date */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupportCase"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Needs the admin role (AUTH.ADMIN_REQUIRED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused in the current state (CASE.CLOSED, CASE.ALREADY_DECIDED, CASE.DECISION_IN_PROGRESS, CASE.NOT_AN_EXTENSION_REQUEST, or the plan’s deferral refusal such as DEFERRAL.OVERLAPS_NEXT), or a request with this Idempotency-Key is still in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This Idempotency-Key was used with a different request (IDEMPOTENCY.KEY_REUSED) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    declineExtensionRequest: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the request safe to retry: a retry with the same key and request answers the first response (idempotent-replayed: true); kept for a day */
                "idempotency-key"?: string;
            };
            path: {
                caseId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeclineRequest"];
            };
        };
        responses: {
            /** @description The declined case */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupportCase"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Needs the admin role (AUTH.ADMIN_REQUIRED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused in the current state (CASE.CLOSED, CASE.ALREADY_DECIDED, CASE.DECISION_IN_PROGRESS, CASE.NOT_AN_EXTENSION_REQUEST, or the plan’s deferral refusal such as DEFERRAL.OVERLAPS_NEXT), or a request with this Idempotency-Key is still in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is over 64 KiB (REQUEST.TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is not sent as application/json (REQUEST.UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No reason given (CASE.REASON_REQUIRED) or too long */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    closeSupportCase: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the request safe to retry: a retry with the same key and request answers the first response (idempotent-replayed: true); kept for a day */
                "idempotency-key"?: string;
            };
            path: {
                caseId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The closed case */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupportCase"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Refused in the current state (CASE.CLOSED, CASE.ALREADY_DECIDED, CASE.DECISION_IN_PROGRESS, CASE.NOT_AN_EXTENSION_REQUEST, or the plan’s deferral refusal such as DEFERRAL.OVERLAPS_NEXT), or a request with this Idempotency-Key is still in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This Idempotency-Key was used with a different request (IDEMPOTENCY.KEY_REUSED) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getReconciliation: {
        parameters: {
            query?: {
                /** @description A local date in the reconciliation time zone; default: yesterday there */
                date?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report of that day (reconciled now if it had not been yet) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Reconciliation"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Needs the admin role (AUTH.ADMIN_REQUIRED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The day is not over yet (RECONCILIATION.DAY_NOT_OVER) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOpsAgenda: {
        parameters: {
            query?: {
                /** @description A local date in the operations time zone; default: today there */
                date?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The day by hour and in total */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpsAgenda"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Needs the admin role (AUTH.ADMIN_REQUIRED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOpsDailyMetrics: {
        parameters: {
            query?: {
                /** @description First local date; default: 29 days before `to` */
                from?: string;
                /** @description Last local date; default: today in the operations time zone */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The days, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpsDailyMetrics"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Needs the admin role (AUTH.ADMIN_REQUIRED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `from` after `to` (METRICS.RANGE_INVALID) or more than 92 days (METRICS.RANGE_TOO_LONG) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listDeadLetterQueues: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every queue */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeadLetterQueueList"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Needs the admin role (AUTH.ADMIN_REQUIRED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This deployment does not reach its dead-letter queues (DEAD_LETTERS.NOT_CONFIGURED) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    peekDeadLetters: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                /** @description The queue whose dead letters these are */
                queue: "repaymentAttempts" | "notices" | "emails" | "emailFeedback";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Some of its messages */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeadLetterMessageList"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Needs the admin role (AUTH.ADMIN_REQUIRED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This deployment does not reach its dead-letter queues (DEAD_LETTERS.NOT_CONFIGURED) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    redriveDeadLetters: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The queue whose dead letters these are */
                queue: "repaymentAttempts" | "notices" | "emails" | "emailFeedback";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Redrive started (move task) or done (moved) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeadLetterRedrive"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Needs the admin role (AUTH.ADMIN_REQUIRED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This deployment does not reach its dead-letter queues (DEAD_LETTERS.NOT_CONFIGURED) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listFailedAttempts: {
        parameters: {
            query?: {
                limit?: number;
                /** @description The cursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of failed attempts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FailedAttemptPage"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Needs the admin role (AUTH.ADMIN_REQUIRED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listOpsNotices: {
        parameters: {
            query: {
                limit?: number;
                /** @description The cursor of the previous page */
                cursor?: string;
                /** @description Which notices: those that failed, or those suppressed */
                status: "failed" | "suppressed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of notices */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpsNoticePage"];
                };
            };
            /** @description Invalid input (REQUEST.INVALID naming each field, REQUEST.MALFORMED_JSON, REQUEST.INVALID_CURSOR) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token (AUTH.INVALID_TOKEN, with WWW-Authenticate) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Needs the admin role (AUTH.ADMIN_REQUIRED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not yours) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    receiveStripeWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StripeEvent"];
            };
        };
        responses: {
            /** @description Received (also for a repeat, with duplicate: true, and for event types repayflow does not act on) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookAck"];
                };
            };
            /** @description Signed, but not a Stripe event */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, wrong or stale Stripe-Signature */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The event is still being processed, or its id was used with other content */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Stripe is not configured on this deployment */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    receiveWalletWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: "simulated";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WalletEvent"];
            };
        };
        responses: {
            /** @description Received (also for a repeat, with duplicate: true) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookAck"];
                };
            };
            /** @description Signed, but not a valid event */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing, malformed, wrong or stale signature */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The event is still being processed, or its id was used with other content */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No webhook secret is configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
