import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class EventsQueryDto {
  @IsOptional() @IsString() @Length(0, 200) after?: string;
  /** Comma-separated event types. */
  @IsOptional() @IsString() @Length(1, 2000) types?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class AuditQueryDto {
  @IsOptional() @IsString() @Length(0, 200) after?: string;
  @IsOptional() @IsString() @Length(1, 64) resourceId?: string;
  @IsOptional() @IsString() @Length(1, 64) connectionId?: string;
  @IsOptional() @IsString() @Length(1, 64) type?: string;
  @IsOptional() @IsISO8601() since?: string;
  @IsOptional() @IsISO8601() until?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}
