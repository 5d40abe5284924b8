/** The protocol-level errors, with the documented codes and statuses (alibaba-cloud-apis.md §1.5). */
import { ApiError } from '../types';

export const protocolErrors = {
  missingParameter: (name: string) =>
    new ApiError(400, 'MissingParameter', `The parameter "${name}" is needed but not provided.`),
  invalidParameter: (name: string, detail?: string) =>
    new ApiError(400, 'InvalidParameter', `The parameter "${name}" is invalid.${detail ? ` ${detail}` : ''}`),
  unknownAccessKey: () => new ApiError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'),
  badSignature: () =>
    new ApiError(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.'),
  staleTimestamp: () => new ApiError(400, 'IllegalTimestamp', 'Specified time stamp or date value is expired.'),
  badSecurityToken: () =>
    new ApiError(
      400,
      'InvalidSecurityToken.MismatchWithAccessKey',
      'The security token does not match the access key.',
    ),
  noPermission: () => new ApiError(403, 'Forbidden.NoPermission', 'This operation is forbidden by permission system.'),
  unknownAction: () =>
    new ApiError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.'),
  unknownVersion: () => new ApiError(400, 'InvalidVersion', 'Specified parameter Version is not valid.'),
  throttled: () => new ApiError(429, 'Rejected.Throttling', 'QPS Limit Exceeded'),
};
