export {
  deployLocal,
  readPolicy,
  type DeployLocalOptions,
  type DeployedFunction,
  type LocalCloud,
  type LocalDeployment,
} from './deploy-local';
export {
  functionSpecs,
  loadSYaml,
  roleNameOf,
  type DeploymentRules,
  type EventBridgeTriggerSpec,
  type FunctionSpec,
  type LifecycleHookSpec,
  type TimerTriggerSpec,
} from './deployment-spec';
export { loadHandlerFactory, PROJECT_ROOT } from './handler-modules';
export { renderSYaml, SYamlError, type RenderContext } from './render-s-yaml';
