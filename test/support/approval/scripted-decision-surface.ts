import type {
  ApprovalRequest,
  Decision,
  DecisionSurface,
} from '../../../src/core/approval/approval-request.js';

/** One request shown to the scripted person, who decides it when the test says so. */
export interface ShownRequest {
  request: ApprovalRequest;
  /** Aborted when the authority withdrew the request (expired, superseded, shut down). */
  signal: AbortSignal;
  decide(decision: Decision): void;
}

/**
 * A DecisionSurface a test drives like a person at the panel: it records every request and resolves
 * only when the test clicks. Nothing decides on its own, so a test proves the click is what mints.
 */
export class ScriptedDecisionSurface implements DecisionSurface {
  readonly shown: ShownRequest[] = [];
  private readonly waiting: Array<(shown: ShownRequest) => void> = [];
  private taken = 0;

  decide(request: ApprovalRequest, signal: AbortSignal): Promise<Decision> {
    return new Promise<Decision>((resolve) => {
      const shown: ShownRequest = { request, signal, decide: resolve };
      this.shown.push(shown);
      this.waiting.shift()?.(shown);
    });
  }

  /** The next request shown after this call, or the oldest one nobody took yet. */
  nextRequest(): Promise<ShownRequest> {
    const untaken = this.shown[this.taken];
    if (untaken) {
      this.taken++;
      return Promise.resolve(untaken);
    }
    return new Promise((resolve) =>
      this.waiting.push((shown) => {
        this.taken++;
        resolve(shown);
      }),
    );
  }
}
