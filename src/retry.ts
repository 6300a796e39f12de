export interface RetryOptions {
  attempts: number;
  /** Delay before the second attempt; doubled for each one after. */
  firstDelayMs: number;
  /** A failure that another attempt cannot fix (bad credentials, a missing image). */
  isPermanent: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** Runs `body` until it succeeds, it fails for good, or the attempts are used up. */
export async function withRetries<T>(body: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await body();
    } catch (error) {
      if (attempt >= options.attempts || options.isPermanent(error)) throw error;
      const delayMs = options.firstDelayMs * 2 ** (attempt - 1);
      options.onRetry?.(error, attempt, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
