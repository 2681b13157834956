import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min, ValidateIf } from 'class-validator';
import { EVENT_TYPES } from '../../events/event-types.js';

export class CreateWebhookDto {
  @ApiProperty({ maxLength: 2048, example: 'https://platform.example.com/hooks/roster', description: 'https:// on a public address (WEBHOOK_ALLOW_PRIVATE_TARGETS allows http:// and private ones).' })
  @IsString() @Length(1, 2048) url!: string;
  @ApiPropertyOptional({ enum: EVENT_TYPES, isArray: true, description: 'The event types sent; absent or empty: all.' })
  @IsOptional() @IsArray() @ArrayMaxSize(EVENT_TYPES.length) @IsString({ each: true }) types?: string[];
  @ApiPropertyOptional({ maxLength: 1024 })
  @IsOptional() @IsString() @Length(0, 1024) description?: string;
}

/** Any of the fields; null clears the description. */
export class UpdateWebhookDto {
  @ApiPropertyOptional({ maxLength: 2048 })
  @IsOptional() @IsString() @Length(1, 2048) url?: string;
  @ApiPropertyOptional({ enum: EVENT_TYPES, isArray: true, description: 'Empty: all.' })
  @IsOptional() @IsArray() @ArrayMaxSize(EVENT_TYPES.length) @IsString({ each: true }) types?: string[];
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1024 })
  @ValidateIf((_, value) => value !== null && value !== undefined) @IsString() @Length(0, 1024) description?: string | null;
  @ApiPropertyOptional({ description: 'false cancels pending deliveries; true sends the events committed from then on.' })
  @IsOptional() @IsBoolean() enabled?: boolean;
}

export class RotateWebhookSecretDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 604_800, default: 86_400, description: 'How long the previous secret goes on signing beside the new one.' })
  @IsOptional() @IsInt() @Min(0) @Max(604_800) gracePeriodSeconds?: number;
}

export class DeliveriesQueryDto {
  @ApiPropertyOptional({ description: 'A nextCursor from an earlier page (older deliveries).' })
  @IsOptional() @IsString() @Length(0, 200) before?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}
