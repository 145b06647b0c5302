// How a process undoes what it opened: each part registers its close as it is opened, and
// close() runs them last-opened first, once, logging (not stopping at) a step that fails. A
// process whose start fails half-way closes what it had opened the same way.
import type { Logger } from 'pino';

export class CloseStack {
  private readonly steps: { readonly name: string; readonly close: () => unknown }[] = [];
  private closing: Promise<void> | null = null;

  constructor(private readonly logger: Logger) {}

  /** Registers how to close what was just opened. */
  defer(name: string, close: () => unknown): void {
    this.steps.push({ name, close });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const step of [...this.steps].reverse()) {
        try {
          await step.close();
        } catch (err) {
          this.logger.warn({ step: step.name, reason: (err as Error).message }, 'close step failed');
        }
      }
    })();
    return this.closing;
  }

  /** Runs a process's start; if it throws, closes what it had opened and throws on. */
  async starting<T>(start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (err) {
      await this.close();
      throw err;
    }
  }
}
