export { parseEvents, type ParseOptions } from './parse-event';
export { parseAlibabaTime } from './alibaba-time';
export { secretNameFromArn, parseSecretArn, accountFromArn, type SecretArn } from './arn';
export { ROTATION_FAILURE_TYPE, ROTATION_SUCCESS_TYPE } from './rotation-result';
export { API_CALL_TYPES } from './api-call';
