-- Takes one call from a tenant's minute and month counters, atomically (Redis runs a script alone).
-- KEYS[1] minute counter, KEYS[2] month counter (dev.infermint.metering.QuotaKeys)
-- ARGV[1] per-minute limit, ARGV[2] per-month limit, ARGV[3] '1' when the plan bills overage,
-- ARGV[4] TTL of the minute key (s), ARGV[5] TTL of the month key (s)
-- Returns {outcome, minuteCount, monthCount}: 0 admitted, 1 rate limited, 2 quota exceeded, 3 admitted as overage.
local minute = tonumber(redis.call('GET', KEYS[1]) or '0')
local month = tonumber(redis.call('GET', KEYS[2]) or '0')
local overage = 0
if month >= tonumber(ARGV[2]) then
  if ARGV[3] ~= '1' then
    return {2, minute, month}
  end
  overage = 1
end
if minute >= tonumber(ARGV[1]) then
  return {1, minute, month}
end
minute = redis.call('INCR', KEYS[1])
if minute == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[4])
end
month = redis.call('INCR', KEYS[2])
if month == 1 then
  redis.call('EXPIRE', KEYS[2], ARGV[5])
end
if overage == 1 then
  return {3, minute, month}
end
return {0, minute, month}
