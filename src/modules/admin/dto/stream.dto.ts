import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class EventsQueryDto {
  @ApiPropertyOptional({ description: 'A nextCursor from an earlier page; absent: from the start.' })
  @IsOptional() @IsString() @Length(0, 200) after?: string;
  @ApiPropertyOptional({ description: 'Comma-separated event types, e.g. user.deactivated,user.deleted.' })
  @IsOptional() @IsString() @Length(1, 2000) types?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'A nextCursor from an earlier page.' }) @IsOptional() @IsString() @Length(0, 200) after?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 64) resourceId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 64) connectionId?: string;
  @ApiPropertyOptional({ example: 'scim.write_refused' }) @IsOptional() @IsString() @Length(1, 64) type?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() since?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() until?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}
