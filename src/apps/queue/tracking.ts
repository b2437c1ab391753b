import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script sent by its SHA1 (EVALSHA): every page job runs `finish` and most run `track`, and
 * EVAL would ship and hash the whole script text on each call. Falls back to EVAL once when Redis
 * does not know the script yet (first call, or after a restart or SCRIPT FLUSH), which caches it.
 */
class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

const TRACK = new LuaScript(
  `local added = 0
   for i = 1, #ARGV - 2 do
     local done = KEYS[2 * i - 1]
     local runs = KEYS[2 * i]
     if redis.call('EXISTS', done) == 0 then
       redis.call('SADD', ARGV[#ARGV - 1], ARGV[i])
       redis.call('SADD', runs, ARGV[#ARGV])
       redis.call('EXPIRE', runs, 604800)
       added = added + 1
     end
   end
   redis.call('EXPIRE', ARGV[#ARGV - 1], 604800)
   return added`,
);

const FINISH = new LuaScript(
  `redis.call('SET', KEYS[1], '1', 'EX', ARGV[1])
   local runs = redis.call('SMEMBERS', KEYS[2])
   local out = {}
   for _, run in ipairs(runs) do
     local pending = ARGV[2] .. ':run:' .. run .. ':pending'
     redis.call('SREM', pending, ARGV[3])
     if redis.call('SCARD', pending) == 0 then table.insert(out, run) end
   end
   redis.call('DEL', KEYS[2])
   return out`,
);

/**
 * Knows when a crawl run is finished although its jobs are spread over many workers: every page
 * job is a member of its run's pending set; a member leaves when its job ends (completed or failed
 * for good). Members are tracked before the job is added, and a finished member is remembered for
 * the dedup window, so a job that another run already fetched never keeps a run open.
 */
export class RunTracker {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** How long a finished member is remembered; at least the fetch dedup window. */
    private readonly doneTtlSeconds: number,
  ) {}

  private pendingKey(runId: number): string {
    return `${this.prefix}:run:${runId}:pending`;
  }

  private runsKey(member: string): string {
    return `${this.prefix}:member:${member}:runs`;
  }

  private doneKey(member: string): string {
    return `${this.prefix}:member:${member}:done`;
  }

  /** Adds members to a run unless they already finished. Returns how many were added. */
  async track(runId: number, members: readonly string[]): Promise<number> {
    if (members.length === 0) return 0;
    const keys = members.flatMap((member) => [this.doneKey(member), this.runsKey(member)]);
    const added = await TRACK.run(this.redis, keys, [...members, this.pendingKey(runId), String(runId)]);
    return Number(added);
  }

  /**
   * Marks a member finished and returns the runs that have nothing pending any more.
   * Pending-set keys are built in Lua from the prefix, since the member's runs are only known there.
   */
  async finish(member: string): Promise<number[]> {
    const finished = (await FINISH.run(
      this.redis,
      [this.doneKey(member), this.runsKey(member)],
      [String(this.doneTtlSeconds), this.prefix, member],
    )) as string[];
    return finished.map(Number);
  }

  /** Members a run still waits on. */
  async pendingMembers(runId: number): Promise<string[]> {
    return this.redis.smembers(this.pendingKey(runId));
  }

  async pendingCount(runId: number): Promise<number> {
    return this.redis.scard(this.pendingKey(runId));
  }
}

export function memberOf(queueName: string, jobId: string): string {
  return `${queueName}/${jobId}`;
}
