/**
 * What the resilience run watches, and the one fault the emulator cannot inject by itself: a
 * remediate instance killed right after RotateSecret succeeded, before it writes its state tag.
 * The KMS provider is wrapped (the dispatcher calls it through the same object) to log every
 * RotateSecret that reached KMS and every value GetSecretValue handed out; the remediate handler
 * is wrapped so that, once "killed", every later call of that invocation loses its connection and
 * the invocation fails, as when FC loses the instance. FC's async retry then runs it again.
 */
import { appendFileSync } from 'node:fs';
import type { Emulator } from '../../emulator/emulator';
import { loadHandlerFactory, type FunctionSpec } from '../../emulator/runtime';
import type { ApiReply, ApiRequest } from '../../emulator/types';
import type { FcHandler, HandlerFactory } from '../../shared/ports/runtime';
import { SecretValues } from './secret-values';

export interface RotateCall {
  at: number;
  secretName: string;
  versionId: string;
  ok: boolean;
  code?: string;
}

export interface RecorderOptions {
  /** Share of the orchestrator's successful RotateSecret calls after which its instance dies. */
  killRate: number;
  random: () => number;
}

export class RunRecorder {
  readonly rotateCalls: RotateCall[] = [];
  readonly values = new SecretValues();
  readonly leaks: Array<{ where: string; excerpt: string }> = [];
  kills = 0;
  logLines = 0;
  private inRemediate = false;
  private killFault: string | undefined;
  enabled = true;

  constructor(
    private readonly emulator: Emulator,
    private readonly options: RecorderOptions,
  ) {
    const kms = emulator.kms;
    const handle = kms.handle.bind(kms);
    kms.handle = async (req: ApiRequest): Promise<ApiReply> => {
      let reply: ApiReply;
      try {
        reply = await handle(req);
      } catch (error) {
        if (req.action === 'RotateSecret')
          this.rotateCalls.push({
            at: req.receivedAt,
            secretName: req.params.SecretName ?? '',
            versionId: req.params.VersionId ?? '',
            ok: false,
            code: (error as { code?: string }).code,
          });
        throw error;
      }
      if (req.action === 'GetSecretValue' && typeof reply.SecretData === 'string')
        this.values.addSecretData(reply.SecretData);
      if (req.action === 'RotateSecret') {
        this.rotateCalls.push({
          at: req.receivedAt,
          secretName: req.params.SecretName ?? '',
          versionId: req.params.VersionId ?? '',
          ok: true,
        });
        if (this.enabled && this.inRemediate && !this.killFault && this.options.random() < this.options.killRate) {
          // From the next call on, nothing this instance sends arrives.
          this.killFault = emulator.faults.add({ Kind: 'DropConnection', Id: 'resilience-kill' });
        }
      }
      return reply;
    };
  }

  /** deployLocal's loadFactory: the real handlers, remediate wrapped so it can be killed. */
  loadFactory = async (spec: FunctionSpec): Promise<HandlerFactory> => {
    const factory = await loadHandlerFactory(spec.sourceDir);
    if (spec.sourceDir !== 'remediate') return factory;
    return (runtime) => this.killable(factory(runtime));
  };

  private killable(handler: FcHandler): FcHandler {
    return async (event, context) => {
      this.inRemediate = true;
      try {
        const result = await handler(event, context);
        if (this.killFault) throw new Error('instance killed after RotateSecret');
        return result;
      } catch (error) {
        if (this.killFault) throw new Error('instance killed after RotateSecret');
        throw error;
      } finally {
        if (this.killFault) {
          this.emulator.faults.clear(this.killFault);
          this.killFault = undefined;
          this.kills += 1;
        }
        this.inRemediate = false;
      }
    };
  }

  /** deployLocal's writeLine: each handler log line is checked for secret values as it is written. */
  writeLine = (line: string): void => {
    this.logLines += 1;
    // RESILIENCE_LOG=<file> keeps the handler logs of a run for a closer look.
    if (process.env.RESILIENCE_LOG) appendFileSync(process.env.RESILIENCE_LOG, `${line}\n`);
    this.scan('handler log', line);
  };

  scan(where: string, text: string): void {
    const value = this.values.findIn(text);
    if (value === undefined) return;
    // The report names where, never the value itself.
    const at = text.indexOf(value);
    this.leaks.push({ where, excerpt: `${text.slice(Math.max(0, at - 60), at)}<value of ${value.length} chars>` });
  }
}
