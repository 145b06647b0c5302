// Docker cannot run here: the compose file, Dockerfile and Prometheus config are checked against
// what the service really reads (config fields and env names, ports, CLI commands, routes).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commands } from '../../src/cli/commands.js';
import { envOverrides, validateConfig } from '../../src/config.js';
import { REPO_ROOT } from '../conformance/shared.js';

const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { command?: string[]; environment?: Record<string, string>; ports?: string[]; volumes?: string[] }> };
const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const prom = parse(readFileSync(join(REPO_ROOT, 'ops', 'prometheus.yml'), 'utf8')) as { scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[] };

describe('docker-compose.yml and Dockerfile', () => {
  const jpki = compose.services.jpki;

  it('runs a CLI command that exists, with environment the config accepts', () => {
    expect(Object.keys(commands)).toContain(jpki.command![0]);
    const env = jpki.environment!;
    for (const k of Object.keys(env)) expect(k).toMatch(/^JPKI_/);
    const cfg = validateConfig(envOverrides(env)); // throws, naming the field, on any unknown or bad value
    expect(cfg.host).toBe('0.0.0.0');
    expect(jpki.ports).toContain(`${cfg.port}:${cfg.port}`);
    expect(dockerfile).toContain(`EXPOSE ${cfg.port}`);
  });

  it('the image entry point and default command are real', () => {
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "dist\/src\/cli\/main\.js"\]/);
    const cmd = /CMD \["(\w+)"/.exec(dockerfile)![1];
    expect(Object.keys(commands)).toContain(cmd);
    expect(dockerfile).toMatch(/FROM node:20[^\n]* AS build/);
  });

  it('Prometheus scrapes the service where it serves metrics', () => {
    const port = validateConfig(envOverrides(jpki.environment!)).port;
    const job = prom.scrape_configs[0];
    expect(job.metrics_path).toBe('/metrics');
    expect(job.static_configs[0].targets).toEqual([`jpki:${port}`]);
    expect(compose.services.prometheus.volumes).toContain('./ops/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
  });

  it('Redis keeps an append-only file', () => {
    expect(compose.services.redis.command).toEqual(['redis-server', '--appendonly', 'yes']);
  });
});
