const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Retries a write that must not be given up on lightly: the effect it records has already happened
 * (SNS took the message, the bus took the event), and a failed record would make a retry do it again.
 * Full-jitter backoff; the last failure is thrown.
 */
export async function retryRecording(write: () => Promise<void>, attempts = 6, baseMs = 50): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(Math.random() * baseMs * 2 ** attempt);
    }
  }
}
