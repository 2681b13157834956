import type { Readable } from 'node:stream';
import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { bodyOfPieces, replyBody } from './text-pieces.js';
import { RosterMetrics } from './roster-metrics.js';

/** Prometheus text format (DESIGN.md "Operations"); no auth: bind or firewall it. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: RosterMetrics) {}

  @Get()
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string | Readable> {
    void reply.type(this.metrics.contentType);
    return replyBody(reply, bodyOfPieces(await this.metrics.scrape()));
  }
}
