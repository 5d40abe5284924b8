/**
 * Every secret value the orchestrator could have seen (the seed's values and each GetSecretValue
 * reply), and a scanner that says whether a text holds one. Values are indexed by a fixed-length
 * prefix, so scanning megabytes of output against tens of thousands of values stays linear.
 */
const WINDOW = 12;
/** Leaf fields of a structured SecretData that hold the credential itself. */
const CREDENTIAL_FIELDS = /(Password|AccessKeySecret|PrivateKey|SecretData|Token)$/i;

export class SecretValues {
  private readonly byPrefix = new Map<string, string[]>();
  private count = 0;

  size(): number {
    return this.count;
  }

  /** Adds a SecretData value: its credential leaves when it is JSON, the whole text otherwise. */
  addSecretData(data: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      this.addValue(data);
      return;
    }
    if (typeof parsed === 'string') this.addValue(parsed);
    else this.collect(parsed, '');
  }

  private collect(value: unknown, key: string): void {
    if (typeof value === 'string') {
      if (CREDENTIAL_FIELDS.test(key)) this.addValue(value);
    } else if (Array.isArray(value)) for (const v of value) this.collect(v, key);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) this.collect(v, k);
  }

  /** Adds one value as it is (the adversary's generated passwords). */
  addValue(value: string): void {
    // A private key is scanned line by line: a log would quote it with escaped newlines.
    for (const part of value.split(/\r?\n/)) {
      if (part.length < WINDOW || part.startsWith('-----')) continue;
      const prefix = part.slice(0, WINDOW);
      const list = this.byPrefix.get(prefix) ?? [];
      if (!list.includes(part)) {
        list.push(part);
        this.count += 1;
      }
      this.byPrefix.set(prefix, list);
    }
  }

  /** The first value found in `text`, or undefined. */
  findIn(text: string): string | undefined {
    for (let i = 0; i + WINDOW <= text.length; i++) {
      const list = this.byPrefix.get(text.substr(i, WINDOW));
      if (!list) continue;
      for (const value of list) if (text.startsWith(value, i)) return value;
    }
    return undefined;
  }
}
