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
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000) readPerSecond?: number;
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000) writePerSecond?: number;
}

export class TenantSettingsDto {
  @IsOptional() @IsIn(['any', 'email']) userNameFormat?: 'any' | 'email';

  @IsOptional() @ValidateNested() @Type(() => RateLimitsDto) rateLimits?: RateLimitsDto;

  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 100, { each: true })
  uniqueRoles?: string[];

  /** Days events and audit entries are kept. */
  @IsOptional() @IsInt() @Min(1) @Max(36_500) retentionDays?: number;
}

export class CreateTenantDto {
  @IsString() @Length(1, 200) name!: string;

  @IsOptional() @IsString() @Length(1, 63) slug?: string;

  @IsOptional() @ValidateNested() @Type(() => TenantSettingsDto) settings?: TenantSettingsDto;
}

export class UpdateTenantDto {
  @ValidateNested() @Type(() => TenantSettingsDto) settings!: TenantSettingsDto;
}
