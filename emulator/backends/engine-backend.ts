/** One admin connection to one bound server; the credential backend keeps one per server. */
import type { ServerBinding } from '../services/contracts';

export interface EngineBackend {
  engine: ServerBinding['Engine'];
  setPassword(accountName: string, password: string): Promise<void>;
  /** Removes an account the emulator or a test created (missing is fine). */
  dropAccount(accountName: string): Promise<void>;
  close(): Promise<void>;
}
