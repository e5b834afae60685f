import { backoffDelay } from './backoff.ts';

export type SocketState = 'connecting' | 'open' | 'closed' | 'reconnecting';

export interface ReconnectingSocketOptions {
  /** Path and query on this origin, e.g. `/ws/live?teamId=…` (the session cookie authenticates). */
  path: string;
  onMessage(data: unknown): void;
  onOpen?(send: (msg: unknown) => void): void;
  onState?(state: SocketState, detail?: string): void;
  /** Close codes after which reconnecting is pointless (e.g. not allowed). */
  fatalCodes?: readonly number[];
}

export function wsUrl(path: string): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}${path}`;
}

/**
 * A WebSocket that reconnects with backoff until closed. Policy closes (4401/4403/1008) stop it:
 * retrying would only be refused again.
 */
export class ReconnectingSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  state: SocketState = 'connecting';

  constructor(private readonly opts: ReconnectingSocketOptions) {
    this.connect();
  }

  private setState(state: SocketState, detail?: string): void {
    this.state = state;
    this.opts.onState?.(state, detail);
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(wsUrl(this.opts.path));
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.setState('open');
      this.opts.onOpen?.((m) => this.send(m));
    };
    ws.onmessage = (ev) => {
      let data: unknown = ev.data;
      if (typeof data === 'string') {
        try {
          data = JSON.parse(data);
        } catch {
          return;
        }
      }
      this.opts.onMessage(data);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.stopped) return;
      const fatal = this.opts.fatalCodes ?? [1008, 4401, 4403];
      if (fatal.includes(ev.code)) {
        this.stopped = true;
        this.setState('closed', ev.reason || 'The server refused this connection.');
        return;
      }
      this.setState('reconnecting');
      this.timer = setTimeout(() => this.connect(), backoffDelay(this.attempt++));
    };
  }

  send(msg: unknown): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close(1000, 'bye');
    this.ws = null;
    this.setState('closed');
  }
}
