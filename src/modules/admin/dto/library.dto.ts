import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';

// Lengths as the Library schema's: displayName NAME_MAX_LENGTH, description and externalId DEFAULT_MAX_LENGTH.
const NOT_BLANK = /\S/;

export class CreateLibraryDto {
  @ApiProperty({ minLength: 1, maxLength: 256, description: 'Unique per tenant, case-insensitively.' })
  @IsString() @Length(1, 256) @Matches(NOT_BLANK, { message: 'displayName must not be blank' }) displayName!: string;
  @ApiPropertyOptional({ maxLength: 1024 })
  @IsOptional() @IsString() @Length(0, 1024) description?: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 1024 })
  @IsOptional() @IsString() @Length(1, 1024) externalId?: string;
}

/** Any of the fields; null clears description or externalId. */
export class UpdateLibraryDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 256 })
  @IsOptional() @IsString() @Length(1, 256) @Matches(NOT_BLANK, { message: 'displayName must not be blank' }) displayName?: string;
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1024, description: 'null clears it.' })
  @ValidateIf((_, value) => value !== null && value !== undefined) @IsString() @Length(0, 1024) description?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 1024, description: 'null clears it.' })
  @ValidateIf((_, value) => value !== null && value !== undefined) @IsString() @Length(1, 1024) externalId?: string | null;
}
