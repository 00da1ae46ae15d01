export { startRecordingProxy } from './recordingProxy';
export { applyProxyEnvironment, BASE_URL_VARIABLE, type EnvironmentCollection } from './proxyEnvironment';
export {
  DEFAULT_UPSTREAM,
  NAME_HEADER,
  SOURCE_HEADER,
  type ProxyLog,
  type ProxyLogLevel,
  type RecordingProxy,
  type RecordingProxyOptions,
} from './proxyTypes';
