import { Readable } from 'node:stream';
import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RosterMetrics } from './roster-metrics.js';

/** Prometheus text format (DESIGN.md "Operations"); no auth: bind or firewall it. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: RosterMetrics) {}

  @Get()
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readable> {
    void reply.type(this.metrics.contentType);
    // Sent piece by piece (chunked): one string of the whole scrape costs more than the scrape (roster-metrics.ts).
    return Readable.from(await this.metrics.scrape());
  }
}
