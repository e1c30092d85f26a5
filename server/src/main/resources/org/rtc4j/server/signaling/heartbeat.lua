-- One server's heartbeat: it is alive for ttl ms more. Forgets servers silent for a minute.
-- KEYS[1] zset of servers (score: expiry ms), KEYS[2] hash server -> clients (clients.lua);
-- KEYS[3] the epoch: a random value that changes when Redis lost its data (restarted without persistence);
-- KEYS[4] the recovery flag, set for a few seconds after such a loss while every server rewrites its rooms;
-- KEYS[5] the shared TURN secret; KEYS[6] the zset of rooms (score: expiry ms); KEYS[7] this server's
-- clients by address (clients.lua). ARGV: server id, ttl ms, expiry of KEYS[7] ms, the epoch this server
-- knows ('' at start), a new random epoch, recovery ms.
-- Returns {live server ids..., epoch, 1 if recovering else 0}.
if redis.call('EXISTS', KEYS[3]) == 0 then
  redis.call('SET', KEYS[3], ARGV[5])
  if ARGV[4] ~= '' then redis.call('SET', KEYS[4], '1', 'PX', tonumber(ARGV[6])) end
end
redis.call('PEXPIRE', KEYS[3], 120000)
redis.call('PEXPIRE', KEYS[5], 120000) -- the shared TURN secret lives while any server does
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[7], tonumber(ARGV[3])) -- its clients by address (clients.lua)
local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - 60000)
for _, id in ipairs(gone) do redis.call('HDEL', KEYS[2], id) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 60000)
redis.call('PEXPIRE', KEYS[1], 120000)
redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now) -- rooms nobody renewed
redis.call('PEXPIRE', KEYS[2], 120000)
local live = redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')
table.insert(live, redis.call('GET', KEYS[3]))
table.insert(live, tostring(redis.call('EXISTS', KEYS[4])))
return live
