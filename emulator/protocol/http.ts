/** The plain HTTP exchange the protocol layer works on; app.ts adapts fetch, server.ts node:http. */
export interface RawHttpRequest {
  method: string;
  /** Path and query as sent ("/?Action=..."). */
  url: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Buffer;
  remoteAddress?: string;
}

export interface RawHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** Thrown when a DropConnection fault fires: server.ts destroys the socket, fetch() rejects. */
export class DropConnectionSignal extends Error {
  readonly code = 'ECONNRESET';
  constructor() {
    super('socket hang up (DropConnection fault)');
    this.name = 'DropConnectionSignal';
  }
}

export const JSON_CONTENT_TYPE = 'application/json;charset=utf-8';

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): RawHttpResponse {
  return { status, headers: { 'content-type': JSON_CONTENT_TYPE, ...headers }, body: JSON.stringify(body) };
}
