import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * What the framework alone does on this machine (issue 5): Nest on the same Fastify adapter,
 * answering the same route shape with a constant body the size of a real GET /Users/{id} answer.
 */
const body: unknown = JSON.parse(process.env.BASELINE_BODY ?? '{}');

@Controller()
class BaselineController {
  @Get('scim/v2/Users/:id')
  user(): unknown {
    return body;
  }

  @Get('health/ready')
  ready() {
    return { status: 'ok' };
  }
}

@Module({ controllers: [BaselineController] })
class BaselineModule {}

const app = await NestFactory.create<NestFastifyApplication>(BaselineModule, new FastifyAdapter(), { logger: false });
app.enableShutdownHooks();
await app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
