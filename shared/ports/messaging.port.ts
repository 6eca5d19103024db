import type { BillingEvent } from '../domain/events.ts';

/** A claimed agenda action on its way to the attempt worker. */
export interface AgendaMessage {
  planId: string;
  period: number;
  claim: string;
}

export interface AgendaQueue {
  enqueue(messages: readonly AgendaMessage[]): Promise<void>;
}

export interface EventPublisher {
  publish(events: readonly BillingEvent[]): Promise<void>;
}

export type SendResult = { ok: true; providerId: string } | { ok: false; reason: string };

/** Who an email notice is for, carried with it so the provider's feedback can be traced back. */
export interface EmailContext {
  customerId: string;
  noticeKey: string;
}

export interface NoticeSender {
  sendSms(phoneNumber: string, body: string): Promise<SendResult>;
  sendEmail(address: string, subject: string, body: string, context?: EmailContext): Promise<SendResult>;
}
