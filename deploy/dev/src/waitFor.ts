/**
 * Polls `probe` until it returns a truthy value (returned) or the deadline passes (throws with
 * the last error seen). Tests synchronise on real servers with this, never with sleeps.
 */
export async function waitFor<T>(
  description: string,
  probe: () => Promise<T | undefined | false | null>,
  timeoutMs = 90_000,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await probe();
      if (result) {
        return result;
      }
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${description}${
          lastError ? `; last error: ${String(lastError)}` : ''
        }`,
      );
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
}
