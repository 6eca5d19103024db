import type { SendResult } from './messaging.port.ts';

/** An email on its way to the provider, with the tags its feedback (bounce, complaint) comes back with. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  body: string;
  /** Who it is for: the provider returns these with its delivery events. */
  customerId?: string;
  noticeKey?: string;
}

/** Sends one email through the email provider (Amazon SES on AWS, a stand-in locally). */
export interface EmailSender {
  send(email: OutgoingEmail): Promise<SendResult>;
}
