/**
 * Security-relevant broker events, for the host's log. Never carries a secret, a token or params:
 * logs end up in bug reports.
 */
export interface BrokerLogEvent {
  level: 'info' | 'warn';
  event:
    | 'connected'
    | 'authenticated'
    | 'unauthorized'
    | 'protocol-violation'
    | 'message-too-large'
    | 'handler-failed'
    | 'disconnected';
  connectionId: number;
  detail?: string;
}

export type BrokerLog = (event: BrokerLogEvent) => void;
