import { Body, Controller, Header, Headers, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ROSTER_OPTIONS } from '../../config/injection-tokens.js';
import type { RosterOptions } from '../../config/roster-options.js';
import { requestClientIp } from '../auth/request-client-ip.js';
import { TokenEndpointService, type AccessTokenResponse } from './token-endpoint.service.js';

@Controller('oauth')
export class OAuthController {
  constructor(
    private readonly endpoint: TokenEndpointService,
    @Inject(ROSTER_OPTIONS) private readonly options: RosterOptions,
  ) {}

  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  token(
    @Req() request: FastifyRequest,
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
  ): Promise<AccessTokenResponse> {
    return this.endpoint.grant(requestClientIp(request, this.options), authorization, body);
  }
}
