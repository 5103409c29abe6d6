/** Public API of the server. */
export { startServer } from './create-server.ts';
export type { EmostreamServer, ServerOptions } from './server-types.ts';
export type { StreamOutcome, StreamEndState } from './stream-registry.ts';
export { CONNECTION_ERRORS, PROTOCOL_VERSION, type ConnectionErrorCode } from './protocol.ts';
export { renderOverlayPage, POINT_COLOR, PLANE_RADIUS_FRACTION, type TrailPoint } from './overlay-page.ts';
export * from './limits.ts';
