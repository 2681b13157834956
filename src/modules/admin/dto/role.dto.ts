import { IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class CreateRoleDto {
  @IsString() @Length(1, 100) name!: string;
  @IsOptional() @IsString() @Length(0, 500) description?: string;
  @IsOptional() @IsBoolean() unique?: boolean;
}

export class UpdateRoleDto {
  @IsOptional() @IsString() @Length(1, 100) name?: string;
  @IsOptional() @IsString() @Length(0, 500) description?: string;
  @IsOptional() @IsBoolean() unique?: boolean;
}

export class PurgeDto {
  /** Soft-deleted users older than this many days are hard-deleted. */
  @IsInt() @Min(0) @Max(36500) olderThanDays!: number;
}
