// The panels are built to cause no Content-Security-Policy violation (no inline script or style, no eval,
// nothing from the network). This listener, installed by the first module of each page, reports any that
// happens anyway to the extension host's log, and keeps them where the end-to-end tests read them.

export interface CspViolation {
  directive: string;
  blocked: string;
}

declare global {
  interface Window {
    /** Violations seen by this page, oldest first (read by the E2E tests; never data from the host). */
    krrCspViolations?: CspViolation[];
  }
}

export function reportCspViolations(report: (violation: CspViolation) => void): void {
  const seen: CspViolation[] = [];
  window.krrCspViolations = seen;
  document.addEventListener('securitypolicyviolation', (event) => {
    const violation = {
      directive: event.effectiveDirective.slice(0, 200),
      blocked: `${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`.slice(0, 500),
    };
    seen.push(violation);
    report(violation);
  });
}
