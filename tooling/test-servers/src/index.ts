export { freePort, freePorts } from './free-port.js';
export { OwnRedisCluster } from './own-redis-cluster.js';
export { OwnRedisServer } from './own-redis-server.js';
export { postgresReachable } from './postgres-probe.js';
export { TcpProxy } from './tcp-proxy.js';
