/** Public API of the server. */
export { startServer, type EmostreamServer, type ServerOptions } from './create-server.ts';
export { CONNECTION_ERRORS, PROTOCOL_VERSION, type ConnectionErrorCode } from './protocol.ts';
export { renderOverlayPage, POINT_COLOR, PLANE_RADIUS_FRACTION, type TrailPoint } from './overlay-page.ts';
export * from './limits.ts';
