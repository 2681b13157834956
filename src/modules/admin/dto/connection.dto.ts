import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { SCOPES } from '../../../domain/scopes.js';

export class CreateConnectionDto {
  @IsString() @Length(1, 200) name!: string;

  @IsArray() @ArrayMinSize(1) @IsIn(SCOPES, { each: true }) scopes!: string[];

  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 64, { each: true })
  allowedCidrs?: string[];
}

export class MintTokenDto {
  @IsOptional() @IsInt() @Min(1) @Max(3650) expiresInDays?: number;
}
