/** KMS service errors (§1.5 and §2), built from one place so messages stay identical everywhere. */
import { ApiError } from '../../types';
import { NOT_FOUND_MESSAGE, type ErrorChoice } from './unconfirmed';

export const kmsErrors = {
  missing: (name: string) =>
    new ApiError(400, 'MissingParameter', `The parameter "${name}" is needed but not provided.`),
  invalid: (name: string, detail: string) =>
    new ApiError(400, 'InvalidParameter', `The parameter "${name}" is invalid. ${detail}`),
  notFound: () => new ApiError(404, 'Forbidden.ResourceNotFound', NOT_FOUND_MESSAGE),
  exists: () => new ApiError(409, 'Rejected.ResourceExist', 'The resource already exists.'),
  limitExceeded: (what: string) => new ApiError(400, 'Rejected.LimitExceeded', `The ${what} quota is exceeded.`),
  choice: (c: ErrorChoice) => new ApiError(c.status, c.code, c.message),
};
