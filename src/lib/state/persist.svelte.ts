/**
 * Storage writes that never throw at the user: a failure (quota, a blocked database) is kept as
 * a sentence the page shows, and the app goes on in memory.
 */
export class Persistence {
  /** The last storage write that failed, in words; null once a write succeeds again. */
  error = $state<string | null>(null);

  /** Runs `write`; true when it was saved. */
  async run(what: string, write: () => Promise<void>): Promise<boolean> {
    try {
      await write();
      this.error = null;
      return true;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.error = `Could not save ${what} on this device (${why}). It is kept in this tab until you close it.`;
      return false;
    }
  }
}
