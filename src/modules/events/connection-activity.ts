/** What the audit log says about one connection's writes (DESIGN.md: per-connection health for support). */
export interface ConnectionActivity {
  /** Writes in the window: accepted (requests that changed something) and refused. */
  readonly writes: { readonly accepted: number; readonly refused: number };
  readonly lastRefused: {
    readonly at: string;
    readonly status: number;
    readonly scimType: string | null;
    readonly detail: string;
    readonly method: string;
    readonly path: string;
  } | null;
}
