/**
 * Every choice the emulator makes where the reference (alibaba-cloud-apis.md §2, §3, §9) has no
 * authoritative answer. One place, so a fact learned later is a one-line change. The core
 * classifies "being rotated" on both the code and the message, so keep the message verbatim.
 */

export interface ErrorChoice {
  status: number;
  code: string;
  message: string;
}

/**
 * RotateSecret / UpdateSecretRotationPolicy while a rotation runs. Message documented (secrets FAQ,
 * https://www.alibabacloud.com/help/en/kms/user-guide/secrets-faq: "Your secret is being rotated.
 * Try again later."; an older edition reads "..., please try again later"); code/status guessed.
 */
export const ROTATION_IN_PROGRESS: ErrorChoice = {
  status: 409,
  code: 'Rejected.RotationInProgress',
  message: 'Your secret is being rotated. Try again later.',
};

/** RotateSecret / UpdateSecretRotationPolicy on a Generic secret; PutSecretValue / UpdateSecretVersionStage on a managed one. */
export const UNSUPPORTED_FOR_TYPE: ErrorChoice = {
  status: 400,
  code: 'Rejected.UnsupportedOperation',
  message: 'The operation is not supported for this secret type.',
};

/** PutSecretValue reusing a VersionId with different data. */
export const VERSION_EXISTS_WITH_OTHER_DATA: ErrorChoice = {
  status: 409,
  code: 'Rejected.ResourceExist',
  message: 'The version already exists with different secret data.',
};

/** Value reads and writes on a secret in its deletion window (DescribeSecret, ListSecrets, RestoreSecret still work). */
export const IN_DELETE_WINDOW: ErrorChoice = {
  status: 409,
  code: 'Rejected.ResourceInDeleteWindow',
  message: 'The secret is planned to be deleted.',
};

/** RestoreSecret on a secret that is not scheduled for deletion (secondary source only). */
export const RESTORE_NOT_DELETED: ErrorChoice = {
  status: 409,
  code: 'Rejected.ResourceInUse',
  message: 'The secret is not in the recovery window.',
};

/** The documented wording is "Resource not found"; the 2021 doc says "The resource is not found.". */
export const NOT_FOUND_MESSAGE = 'The resource is not found.';

/**
 * Tags per secret: 20 in CreateSecret `Tags` (SDK3 CreateSecretRequest.ts), 10 on the TagResource
 * page ("You can attach up to 10 tags to a CMK, secret, or certificate", AlibabaCloudDocs/kms
 * `intl.en-US/API Reference/Tag/TagResource.md`). UNCONFIRMED which applies: the default is 20,
 * switch with the emulator option `maxTagsPerSecret` (10 for the stricter page). The 10 per call
 * below is the older reading of the same sentence, kept as it was.
 */
export const MAX_TAGS_PER_SECRET = 20;
export const MAX_TAGS_PER_CALL = 10;

/**
 * Which writes move a secret's UpdateTime (ListSecrets and DescribeSecret return it): no page says.
 * Defaults are the readings that make the orchestrator's incremental sweep work hardest: a tag
 * write moves it (so the product's own state writes look like changes), and a rotation KMS runs or
 * finishes does not (so the sweep cannot learn of a missed rotation from the listing). Switch:
 * emulator option `updateTime`.
 */
export const UPDATE_TIME_MOVES = { tags: true, rotation: false };

/** Versions kept per secret, stages per secret (documented), secrets per account (quota guessed). */
export const MAX_VERSIONS = 10;
export const MAX_STAGES = 8;
export const MAX_SECRETS = 1_000_000;

/** RotationInterval bounds: SDK3 says 6 h - 8760 h; another page says 7 d - 365 d. Configurable per emulator. */
export const DEFAULT_INTERVAL_BOUNDS = { minSeconds: 6 * 3600, maxSeconds: 8760 * 3600 };

/** How long a managed rotation runs. 0 = finishes inside the call (RDS/ECS/Redis/PolarDB are "normally instant"). */
export const ROTATION_DURATION_MS: Readonly<Record<string, { automatic: number; immediate: number }>> = {
  RAMCredentials: { automatic: 48 * 3600 * 1000, immediate: 60 * 1000 },
  default: { automatic: 0, immediate: 0 },
};

/** Codes a rotation fails with when its target was deleted (per type). */
export const DELETED_TARGET_ERROR: Readonly<Record<string, { errorCode: string; errorMessage: string }>> = {
  Rds: { errorCode: 'InvalidDBInstanceId.NotFound', errorMessage: 'Specified instance does not exist or not support.' },
  PolarDB: { errorCode: 'InvalidDBClusterId.NotFound', errorMessage: 'The specified DBClusterId is not found.' },
  Redis: { errorCode: 'InvalidInstanceId.NotFound', errorMessage: 'The specified instance is not found.' },
  ECS: { errorCode: 'InvalidInstanceId.NotFound', errorMessage: 'The specified InstanceId does not exist.' },
  RAMCredentials: { errorCode: 'EntityNotExist.User', errorMessage: 'The user does not exist.' },
};

/** A rotation whose write to a bound real server failed. */
export const BACKEND_FAILURE_CODE = 'InternalFailure';

/** DeleteSecret recovery window (2024 doc: 7-30 days, default 30). */
export const RECOVERY_WINDOW_DAYS = { min: 7, max: 30, default: 30 };

/** ListSecrets filters SecretName and Description by substring; the others match exactly. */
export const FUZZY_FILTER_KEYS: ReadonlySet<string> = new Set(['SecretName', 'Description']);

/**
 * GetSecretPolicy / SetSecretPolicy on a secret in shared KMS (no DKMSInstanceId). The API pages
 * say secret policies apply to secrets in a KMS instance only; the code for the others is a guess.
 */
export const POLICY_NOT_SUPPORTED: ErrorChoice = {
  status: 400,
  code: 'Rejected.UnsupportedOperation',
  message: 'Secret policies are supported only for secrets in a KMS instance.',
};
