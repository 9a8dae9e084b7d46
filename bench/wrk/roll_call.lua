-- Roll-call saves by many signed-in teachers at once: wrk -s roll_call.lua URL -- SEATS SLOTS RUN THREADS
-- SEATS: one line per teacher: cookie<TAB>csrf token<TAB>class id<TAB>pupil ids (comma-separated)
-- SLOTS: one line per roll call that may be saved: day<TAB>session
-- RUN: a word unique to this run, so every Idempotency-Key is new; THREADS: wrk's -t.
-- Request n of thread t is save g = n * threads + t: teacher g mod #seats, slot g div #seats, so
-- no two saves of a run are for the same class, day and session; each writes 40 marks.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

local started = 0

function setup(thread)
  thread:set("index", started)
  started = started + 1
end

local seats, slots, run, thread_count = {}, {}, "", 1
local sent = 0

local function lines(path)
  local found = {}
  for line in io.lines(path) do
    local fields = {}
    for field in line:gmatch("[^\t]+") do table.insert(fields, field) end
    table.insert(found, fields)
  end
  return found
end

function init(args)
  seats = lines(args[1])
  slots = lines(args[2])
  run = args[3]
  thread_count = tonumber(args[4])
end

local statuses = { "unexcused", "excused", "late" }

function request()
  local g = sent * thread_count + index
  sent = sent + 1
  local seat = seats[g % #seats + 1]
  local slot = slots[math.floor(g / #seats) % #slots + 1]
  local marks = {}
  local n = 0
  for id in seat[4]:gmatch("%d+") do
    n = n + 1
    -- Three pupils away or late, a different three each save; the rest present.
    local status = "present"
    if (n + g) % 13 < 3 then status = statuses[(n + g) % 13 + 1] end
    table.insert(marks, string.format('{"student_id": %s, "status": "%s"}', id, status))
  end
  local body = string.format('{"day": "%s", "session": "%s", "marks": [%s]}',
    slot[1], slot[2], table.concat(marks, ", "))
  return wrk.format("PUT", "/api/classbook/classes/" .. seat[3] .. "/attendance", {
    ["Cookie"] = seat[1],
    ["X-CSRFToken"] = seat[2],
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = run .. "-" .. g,
  }, body)
end
