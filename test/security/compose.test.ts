// Issue 16: docker-compose.yml for production. Docker cannot run here, so the file is checked as
// data: no password written in it, Redis has one, Postgres and Redis publish no ports, and every
// radar service (every worker replica) shares one data folder for evidence and exports.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Service {
  image?: string;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  command?: string[] | string;
  profiles?: string[];
}

const text = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');
const compose = parse(text, { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
const radarServices = Object.entries(services).filter(([, s]) => !s.image);

describe('docker-compose.yml', () => {
  it('writes no password: every secret is interpolated from the env file and required', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|TOKEN/.test(key)) expect(String(value), `${name}.${key}`).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
        if (/_URL$/.test(key) && String(value).includes('@')) expect(String(value), `${name}.${key}`).toMatch(/:\$\{[A-Z_]+:\?[^}]+\}@/);
      }
    }
    expect(text).not.toMatch(/radar:radar@|POSTGRES_PASSWORD: radar\b/);
  });

  it('gives Redis a password and every radar service a Redis URL with it', () => {
    expect(JSON.stringify(services.redis!.command)).toContain('requirepass');
    for (const [name, service] of radarServices) expect(service.environment?.REDIS_URL, name).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD/);
  });

  it('publishes no Postgres or Redis port, and nothing beyond loopback', () => {
    expect(services.postgres!.ports).toBeUndefined();
    expect(services.redis!.ports).toBeUndefined();
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('mounts one shared data folder as RADAR_DATA_DIR in every radar service', () => {
    expect(radarServices.length).toBeGreaterThanOrEqual(3);
    for (const [name, service] of radarServices) {
      expect(service.environment?.RADAR_DATA_DIR, name).toBe('/data');
      expect(service.volumes, name).toContain('radar-shared:/data');
    }
    expect(JSON.stringify(compose.volumes['radar-shared'])).toContain('RADAR_SHARED_DIR');
  });

  it('runs node as PID 1 in long-running services, so stop signals reach radar', () => {
    for (const name of ['worker', 'scheduler', 'dashboard']) expect((services[name]!.command as string[])[0]).toBe('node');
  });
});
