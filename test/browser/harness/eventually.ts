/**
 * Retries an assertion until it passes: the page updates asynchronously (a request to the host and back), so a
 * check waits for the state a person would see, and fails with the last assertion error if it never comes.
 */
export async function eventually(check: () => Promise<void> | void, timeoutMs = 10_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (e: unknown) {
      if (Date.now() > deadline) throw e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
