package dev.infermint.gateway.client;

import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The gateway's Redis (quota steps, usage events): one pooled Vert.x client per event loop, as {@link InternalHttp}
 * has for HTTP. A pool opens connections on the event loop that asked for them but lends an idle one to any loop;
 * a command sent on another loop's connection costs a thread hop each way. With a pool per loop, every command of a
 * call goes out and comes back on the call's own loop. Off the event loops (none on the hot path) one shared client
 * serves.
 */
@Singleton
@Typed(EventLoopRedis.class) // not a second @Default Redis beside Quarkus' own client
public class EventLoopRedis implements Redis {

  private final PerEventLoop<Redis> clients;

  /**
   * @param vertx the Vert.x instance
   * @param hosts the Redis URL, as {@code quarkus.redis.hosts} gives it (the first one)
   */
  @Inject
  public EventLoopRedis(Vertx vertx, @ConfigProperty(name = "quarkus.redis.hosts") List<String> hosts) {
    RedisOptions options = new RedisOptions().setConnectionString(hosts.get(0))
        .setMaxPoolSize(8).setMaxPoolWaiting(4096).setMaxWaitingHandlers(4096);
    this.clients = new PerEventLoop<>(() -> Redis.createClient(vertx, new RedisOptions(options)));
  }

  private Redis client() {
    return clients.get();
  }

  @Override
  public Future<RedisConnection> connect() {
    return client().connect();
  }

  @Override
  public Future<Response> send(Request command) {
    return client().send(command);
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return client().batch(commands);
  }

  @PreDestroy
  @Override
  public void close() {
    clients.closeAll(Redis::close);
  }
}
