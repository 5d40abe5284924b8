/**
 * What a warm FC instance keeps across its invocations. It is keyed by the instance's parsed
 * configuration (one object per handler instance, handler-kit.ts), so deployments and instances in
 * one process (tests, the local runtime's instance pool) never share it. FC may run several
 * requests of one instance at once (instanceConcurrency in s.yaml): whatever is kept here is read
 * and written by concurrent invocations of the same event loop.
 */
export class InstanceMemory<T> {
  private readonly byConfig = new WeakMap<object, T>();

  constructor(private readonly create: () => T) {}

  of(config: object): T {
    let kept = this.byConfig.get(config);
    if (kept === undefined) {
      kept = this.create();
      this.byConfig.set(config, kept);
    }
    return kept;
  }
}
