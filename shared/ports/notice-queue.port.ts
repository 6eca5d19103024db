/** A deferred notice the sweep claimed on the agenda, on its way to the notifier. */
export interface DeferredNoticeMessage {
  /** The dedupe key of the `scheduled` notice. */
  deferredNotice: string;
  /** The sweep's claim: only the holder of the current claim may send the notice. */
  claim: string;
}

/** The notices queue, as the sweep sees it: where due deferred notices are handed to the notifier. */
export interface NoticeQueue {
  enqueue(messages: readonly DeferredNoticeMessage[]): Promise<void>;
}
