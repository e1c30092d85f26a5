-- Connected clients across servers, for the cluster-wide client limit and the per-address limit (one address
-- cannot take every slot by spreading over servers). KEYS[1] zset of servers (score: expiry ms), KEYS[2] hash
-- server -> clients, KEYS[3] this server's hash address -> clients (it expires unless the server beats).
-- ARGV[1] 'add', 'remove' or 'sync'; ARGV[2] server id; ARGV[3] key prefix; ARGV[4] expiry of KEYS[3] ms.
--   add: ARGV[5] address ('' = not counted), ARGV[6] max clients, ARGV[7] max clients per address; counts
--        the live servers' clients and admits one more only under both limits, in one atomic step.
--        Returns 'ok', 'server-full' or 'address-full'.
--   remove: ARGV[5] address. sync: ARGV[5] this server's clients, then address, count pairs (rewrites).
local op, self, ttl = ARGV[1], ARGV[2], tonumber(ARGV[4])
if op == 'add' then
  local address = ARGV[5]
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local servers = redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')
  local counted = false
  for _, id in ipairs(servers) do counted = counted or id == self end
  if not counted then table.insert(servers, self) end
  local total, here = 0, 0
  for _, id in ipairs(servers) do
    total = total + (tonumber(redis.call('HGET', KEYS[2], id)) or 0)
    if address ~= '' then
      here = here + (tonumber(redis.call('HGET', ARGV[3] .. 'srv-clients:' .. id, address)) or 0)
    end
  end
  if total >= tonumber(ARGV[6]) then return 'server-full' end
  if address ~= '' and here >= tonumber(ARGV[7]) then return 'address-full' end
  redis.call('HINCRBY', KEYS[2], self, 1)
  if address ~= '' then redis.call('HINCRBY', KEYS[3], address, 1) end
elseif op == 'remove' then
  if (tonumber(redis.call('HGET', KEYS[2], self)) or 0) > 0 then redis.call('HINCRBY', KEYS[2], self, -1) end
  if ARGV[5] ~= '' and redis.call('HINCRBY', KEYS[3], ARGV[5], -1) <= 0 then redis.call('HDEL', KEYS[3], ARGV[5]) end
else
  redis.call('HSET', KEYS[2], self, ARGV[5])
  redis.call('DEL', KEYS[3])
  for i = 6, #ARGV - 1, 2 do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
end
redis.call('PEXPIRE', KEYS[2], 120000)
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('PEXPIRE', KEYS[3], ttl) end
return 'ok'
