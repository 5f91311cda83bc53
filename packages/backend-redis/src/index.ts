export { type RedisClient, RedisTokenBackend, type RedisTokenBackendOptions } from "./redis-token-backend.js";
