/** A notice as core's `AppendNotice` has it: no `lastPosition` when appends may have been missed. */
export interface HeardNotice {
  lastPosition?: bigint | undefined;
}

export interface CollectedNotices {
  notices: HeardNotice[];
  errors: unknown[];
  /** The last positions heard, in order, without the "may have missed" notices. */
  positions(): bigint[];
  /** Subscribe this to the notifier. */
  listener: { onAppend(notice: HeardNotice): void; onError(error: unknown): void };
}

export declare const NOTICE_LIVENESS: { timeout: number; interval: number };

export declare function collectAppendNotices(): CollectedNotices;
