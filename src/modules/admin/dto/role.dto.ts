import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class CreateRoleDto {
  @ApiProperty({ minLength: 1, maxLength: 100 })
  @IsString() @Length(1, 100) name!: string;
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional() @IsString() @Length(0, 500) description?: string;
  @ApiPropertyOptional({ description: 'Held by at most one active user (edits the tenant setting uniqueRoles).' })
  @IsOptional() @IsBoolean() unique?: boolean;
}

export class UpdateRoleDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @IsOptional() @IsString() @Length(1, 100) name?: string;
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional() @IsString() @Length(0, 500) description?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsBoolean() unique?: boolean;
}

export class PurgeDto {
  /** Soft-deleted users older than this many days are hard-deleted. */
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 36500 })
  @IsInt() @Min(0) @Max(36500) olderThanDays!: number;
}
