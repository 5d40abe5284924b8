/**
 * The naive baseline of the sweep benchmark, in its own process: the obvious loop over the same
 * client layer (one ListSecrets page after the other, one DescribeSecret at a time, versions for
 * Generic secrets as the checks need), stopping after BENCH_NAIVE_LIMIT secrets. It describes
 * every secret, as the sweep did before it was incremental.
 */
import { createAlibabaClients, noPacing } from '../../shared/adapters/alibaba';
import { loadConfig } from '../../shared/config';
import { needsVersions } from '../../shared/domain/checks';
import { LIST_SECRETS_PAGE_SIZE } from '../../shared/ports/kms';
import { printResult } from '../child';

const env = process.env;
const credentials = { accessKeyId: env.BENCH_ACCESS_KEY_ID ?? '', accessKeySecret: env.BENCH_ACCESS_KEY_SECRET ?? '' };

async function naive(): Promise<Record<string, unknown>> {
  const limit = Number(env.BENCH_NAIVE_LIMIT ?? Infinity);
  const config = loadConfig(env);
  // The obvious loop does not pace itself (the emulator's quotas still apply): the product's sweep
  // is measured against a script that takes the whole quota, not against its own share.
  const clients = createAlibabaClients({ config, credentials, pacer: noPacing });
  const started = performance.now();
  let secrets = 0;
  let pages = 0;
  for (let page = 1; secrets < limit; page++) {
    const listed = await clients.kms.listSecretsPage(page, { fetchTags: true, pageSize: LIST_SECRETS_PAGE_SIZE });
    pages += 1;
    for (const s of listed.secrets) {
      if (secrets >= limit) break;
      await clients.kms.describeSecret(s.secretName, { fetchTags: true });
      if (needsVersions(s.secretType)) await clients.kms.listSecretVersionIds(s.secretName);
      secrets += 1;
    }
    if (listed.secrets.length === 0 || page * listed.pageSize >= listed.totalCount) break;
  }
  return { wallMs: performance.now() - started, secrets, pages };
}

naive().then(printResult, (error: unknown) => {
  console.error(error);
  process.exit(1);
});
