import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class RateLimitsDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_000_000, description: 'SCIM reads per second (GET, HEAD, .search); default RATE_LIMIT_READ_PER_SEC.' })
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000) readPerSecond?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_000_000, description: 'SCIM writes per second; default RATE_LIMIT_WRITE_PER_SEC.' })
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000) writePerSecond?: number;
}

export class TenantSettingsDto {
  @ApiPropertyOptional({ enum: ['any', 'email'], default: 'any' })
  @IsOptional() @IsIn(['any', 'email']) userNameFormat?: 'any' | 'email';

  @ApiPropertyOptional({ type: () => RateLimitsDto })
  @IsOptional() @ValidateNested() @Type(() => RateLimitsDto) rateLimits?: RateLimitsDto;

  @ApiPropertyOptional({ type: [String], maxItems: 100, default: ['owner'], description: 'Roles held by at most one active user.' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 100, { each: true })
  uniqueRoles?: string[];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 36_500, default: 400, description: 'Days events and audit entries are kept.' })
  @IsOptional() @IsInt() @Min(1) @Max(36_500) retentionDays?: number;
}

export class CreateTenantDto {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString() @Length(1, 200) name!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 63, description: 'Lower-case letters, digits and hyphens; derived from the name when absent.' })
  @IsOptional() @IsString() @Length(1, 63) slug?: string;

  @ApiPropertyOptional({ type: () => TenantSettingsDto })
  @IsOptional() @ValidateNested() @Type(() => TenantSettingsDto) settings?: TenantSettingsDto;
}

export class UpdateTenantDto {
  @ApiProperty({ type: () => TenantSettingsDto, description: 'Settings to change; absent keys keep their value.' })
  @ValidateNested() @Type(() => TenantSettingsDto) settings!: TenantSettingsDto;
}
