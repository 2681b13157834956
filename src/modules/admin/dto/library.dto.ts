import { IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';

// Lengths as the Library schema's: displayName NAME_MAX_LENGTH, description and externalId DEFAULT_MAX_LENGTH.
const NOT_BLANK = /\S/;

export class CreateLibraryDto {
  @IsString() @Length(1, 256) @Matches(NOT_BLANK, { message: 'displayName must not be blank' }) displayName!: string;
  @IsOptional() @IsString() @Length(0, 1024) description?: string;
  @IsOptional() @IsString() @Length(1, 1024) externalId?: string;
}

/** Any of the fields; null clears description or externalId. */
export class UpdateLibraryDto {
  @IsOptional() @IsString() @Length(1, 256) @Matches(NOT_BLANK, { message: 'displayName must not be blank' }) displayName?: string;
  @ValidateIf((_, value) => value !== null && value !== undefined) @IsString() @Length(0, 1024) description?: string | null;
  @ValidateIf((_, value) => value !== null && value !== undefined) @IsString() @Length(1, 1024) externalId?: string | null;
}
