/**
 * A function's instances, as the local runtime models them. A request goes to the first instance
 * running fewer than `instanceConcurrency` requests, else a new instance starts: FC "only creates a
 * new instance when all existing instances are fully occupied" (Configure instance concurrency,
 * https://www.alibabacloud.com/help/en/functioncompute/fc/configure-the-concurrency-of-a-single-instance).
 * Each instance is a handler of its own (its own parsed configuration, so its own memory). Instances
 * stay warm until the deployment closes (FC's reclaim of idle instances is not modelled); stopping
 * them runs each one's PreStop hook, as FC does before it destroys an instance (lifecycle hooks,
 * https://www.alibabacloud.com/help/en/functioncompute/fc/lifecycle-hooks-for-function-instances).
 */
import type { FcContext, FcHandler } from '../../shared/ports/runtime';

interface Instance {
  handler: FcHandler;
  running: number;
}

export class InstancePool {
  private readonly instances: Instance[] = [];

  constructor(
    private readonly createInstance: () => FcHandler,
    readonly instanceConcurrency: number,
  ) {}

  /** What FC's front end does with a request: an instance with room, or a new one. */
  readonly handler: FcHandler = async (event, context) => {
    const instance = this.instances.find((i) => i.running < this.instanceConcurrency) ?? this.start();
    instance.running += 1;
    try {
      return await instance.handler(event, context);
    } finally {
      instance.running -= 1;
    }
  };

  /** Instances started so far (all still warm). */
  size(): number {
    return this.instances.length;
  }

  /**
   * Destroys every instance: each one's PreStop runs (bounded by its timeout), then it is gone.
   * The failures are returned, not thrown: FC destroys the instance whatever its hook did.
   */
  async stop(context: () => FcContext, timeoutSeconds: number): Promise<Error[]> {
    const stopping = this.instances.splice(0);
    const failures: Error[] = [];
    await Promise.all(
      stopping.map(async ({ handler }) => {
        if (!handler.preStop) return;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`PreStop timed out after ${timeoutSeconds} seconds`)),
            timeoutSeconds * 1000,
          );
          timer.unref();
        });
        try {
          await Promise.race([handler.preStop(context()), timeout]);
        } catch (error) {
          failures.push(error instanceof Error ? error : new Error(String(error)));
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return failures;
  }

  private start(): Instance {
    const instance = { handler: this.createInstance(), running: 0 };
    this.instances.push(instance);
    return instance;
  }
}
