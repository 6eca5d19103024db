/** The queues whose dead letters the operations console shows and redrives. */
export const DEAD_LETTER_SOURCES = ['repaymentAttempts', 'notices', 'emails', 'emailFeedback'] as const;
export type DeadLetterSource = (typeof DEAD_LETTER_SOURCES)[number];

export interface DeadLetterQueue {
  queue: DeadLetterSource;
  /** Messages waiting in the dead-letter queue (SQS's approximate count). */
  depth: number;
  /** Messages of the dead-letter queue being read right now (a redrive in progress, say). */
  inFlight: number;
  /** A move task running on the queue (AWS), if any. */
  redrive?: { status: string; moved: number; toMove?: number };
}

export interface DeadLetterMessage {
  messageId: string;
  body: string;
  /** When the message was first sent to its queue, ISO-8601. */
  sentAt?: string;
  /** How often it was received (by its consumer, then here) before this look. */
  receiveCount?: number;
}

/**
 * `move_task`: SQS moves the messages itself (StartMessageMoveTask), `moved` is not known yet;
 * `moved`: they were moved here and then (the emulator has no move task).
 */
export type RedriveResult = { mode: 'move_task'; taskHandle: string } | { mode: 'moved'; moved: number };

export interface DeadLetters {
  queues(): Promise<DeadLetterQueue[]>;
  /**
   * Up to `limit` (≤ 10) messages of a dead-letter queue, looked at without taking them: they
   * stay where they are. SQS hands out messages, not positions, so a look is a sample, not a page.
   */
  peek(queue: DeadLetterSource, limit: number): Promise<DeadLetterMessage[]>;
  /** Moves the dead letters back to the queue they came from. */
  redrive(queue: DeadLetterSource): Promise<RedriveResult>;
}
