/**
 * The webview's side of the protocol: requests carry an id and are settled by the reply whose `inReplyTo` matches,
 * or rejected on timeout or disposal; pushed messages (snapshot and updates) go to the handlers.
 */
import type { Billing, HostMessage, HostRequest, ImportStatus, RequestKind, RequestMap, Snapshot, WorkspaceInfo } from '../shared/protocol';
import type { Period } from '../shared/period';
import { isPeriod } from '../shared/period';
import { isScope, type Scope } from '../shared/queries';

export interface PushHandlers {
  snapshot(snapshot: Snapshot): void;
  dataChanged(revision: number, now: number): void;
  periodChanged(period: Period): void;
  scopeChanged?(scope: Scope, workspace: WorkspaceInfo): void;
  billingChanged?(billing: Billing, costLabel: string): void;
  importStatus(status: ImportStatus): void;
  hostError(message: string): void;
}

interface Pending {
  kind: RequestKind;
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;

export class RequestError extends Error {
  constructor(
    message: string,
    readonly reason: 'host' | 'timeout' | 'disposed',
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

export class ProtocolClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private disposed = false;

  constructor(
    private readonly post: (message: { type: 'request'; id: number; request: HostRequest }) => void,
    private readonly handlers: PushHandlers,
    private readonly timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  ) {}

  request<K extends RequestKind>(kind: K, params: RequestMap[K]['params']): Promise<RequestMap[K]['result']> {
    if (this.disposed) return Promise.reject(new RequestError('The dashboard was closed.', 'disposed'));
    const id = this.nextId++;
    return new Promise<RequestMap[K]['result']>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RequestError(`The extension did not answer the ${kind} request in ${Math.round(this.timeoutMs / 1000)} s.`, 'timeout'));
      }, this.timeoutMs);
      // The reply's kind is checked against the request's kind before this cast is trusted (see handleMessage).
      this.pending.set(id, { kind, resolve: (r) => resolve(r as RequestMap[K]['result']), reject, timer });
      // TypeScript cannot relate `kind` and `params` through the generic; the pair is built from one RequestMap entry.
      this.post({ type: 'request', id, request: { kind, params } as HostRequest });
    });
  }

  /** Feeds one `message` event's data; anything that is not a host message is ignored. */
  handleMessage(data: unknown): void {
    if (!isHostMessage(data)) return;
    const msg = data;
    switch (msg.type) {
      case 'reply': {
        const pending = this.pending.get(msg.inReplyTo);
        if (!pending) return;
        this.pending.delete(msg.inReplyTo);
        clearTimeout(pending.timer);
        if (!msg.ok) pending.reject(new RequestError(msg.error, 'host'));
        else if (msg.kind !== pending.kind) pending.reject(new RequestError(`Expected a ${pending.kind} reply, got ${msg.kind}.`, 'host'));
        else pending.resolve(msg.result);
        return;
      }
      case 'snapshot':
        this.handlers.snapshot(msg.snapshot);
        return;
      case 'dataChanged':
        this.handlers.dataChanged(msg.revision, msg.now);
        return;
      case 'periodChanged':
        if (isPeriod(msg.period)) this.handlers.periodChanged(msg.period);
        return;
      case 'scopeChanged':
        if (isScope(msg.scope) && typeof msg.workspace === 'object' && msg.workspace !== null) this.handlers.scopeChanged?.(msg.scope, msg.workspace);
        return;
      case 'billingChanged':
        if ((msg.billing === 'api' || msg.billing === 'subscription') && typeof msg.costLabel === 'string') {
          this.handlers.billingChanged?.(msg.billing, msg.costLabel);
        }
        return;
      case 'importStatus':
        this.handlers.importStatus(msg.status);
        return;
      case 'error':
        if (typeof msg.message === 'string') this.handlers.hostError(msg.message);
        return;
    }
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  dispose(): void {
    this.disposed = true;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new RequestError('The dashboard was closed.', 'disposed'));
      this.pending.delete(id);
    }
  }
}

const HOST_TYPES = new Set<HostMessage['type']>([
  'snapshot', 'reply', 'dataChanged', 'periodChanged', 'scopeChanged', 'billingChanged', 'importStatus', 'error',
]);

/** A shape check at the boundary: the host is trusted, but other frames may post to this window too. */
export function isHostMessage(data: unknown): data is HostMessage {
  if (typeof data !== 'object' || data === null) return false;
  const type = (data as { type?: unknown }).type;
  if (typeof type !== 'string' || !HOST_TYPES.has(type as HostMessage['type'])) return false;
  if (type === 'reply') return typeof (data as { inReplyTo?: unknown }).inReplyTo === 'number';
  return true;
}
